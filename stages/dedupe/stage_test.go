package dedupe

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
)

// rec builds a record: fields are "key=value" pairs so each case shows only
// what matters to it. authors are ";"-separated.
func rec(id string, fields ...string) tables.Record {
	r := tables.Record{RecordID: id, Round: "r1", Database: "MEDLINE", Format: "ris", SourceFile: "x.ris"}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "title":
			r.Title = v
		case "authors":
			r.Authors = strings.Split(v, ";")
		case "year":
			y := int32(0)
			for _, c := range v {
				y = y*10 + int32(c-'0')
			}
			r.Year = &y
		case "journal":
			r.Journal = v
		case "volume":
			r.Volume = v
		case "issue":
			r.Issue = v
		case "pages":
			r.Pages = v
		case "doi":
			r.DOI = v
		case "pmid":
			r.PMID = v
		case "type":
			r.Type = v
		case "db":
			r.Database = v
		case "round":
			r.Round = v
		case "pubtype":
			r.PublicationType = []string{v}
		case "lang":
			r.Language = v
		case "key":
			r.SourceKey = v
		case "format":
			r.Format = v
		default:
			panic("unknown field " + k)
		}
	}
	return r
}

// article is a well-filled record other cases vary.
func article(id string, overrides ...string) tables.Record {
	base := []string{
		"title=Effect of peer support workers on engagement in community mental health care: a randomised trial",
		"authors=Smith, John A.;Jones, K.;Brown, Lee",
		"year=2019", "journal=British Journal of Psychiatry", "volume=214", "issue=3", "pages=221-228",
	}
	return rec(id, append(base, overrides...)...)
}

func runDedupe(t *testing.T, records []tables.Record, opt options) *testResult {
	t.Helper()
	return deduplicate(slices.Clone(records), opt)
}

func workOf(res *testResult) map[string]string {
	m := map[string]string{}
	for _, r := range res.records {
		m[r.RecordID] = r.WorkID
	}
	return m
}

func pairRow(res *testResult, a, b string) *tables.DuplicatePair {
	a, b = min(a, b), max(a, b)
	for i := range res.pairs {
		if res.pairs[i].RecordA == a && res.pairs[i].RecordB == b {
			return &res.pairs[i]
		}
	}
	return nil
}

// TestGuardsAndRules: each case is two records; the pair must get the
// decision and rule shown, and be merged only for duplicates.
func TestGuardsAndRules(t *testing.T) {
	cases := []struct {
		name     string
		a, b     tables.Record
		opt      options
		decision string
		rule     string
	}{
		{"variation of one article merges",
			article("a", "doi=10.1192/bjp.2019.1"),
			article("b", "title=EFFECT OF PEER-SUPPORT WORKERS ON ENGAGEMENT IN COMMUNITY MENTAL HEALTH CARE - A RANDOMISED TRIAL.",
				"authors=Smith JA;Jones K;Brown L", "journal=Br J Psychiatry", "pages=221-8"),
			options{}, duplicate, "title+authors+year+source"},
		{"DOI with URL prefix and capitals agrees",
			article("a", "doi=10.1192/BJP.2019.1", "volume=", "pages="),
			article("b", "doi=https://doi.org/10.1192/bjp.2019.1", "volume=", "pages="),
			options{}, duplicate, "doi+title"},
		{"typo in title still merges",
			article("a"),
			article("b", "title=Effect of peer suport workers on engagment in community mental health care: a randomised trial"),
			options{}, duplicate, "title+authors+year+source"},
		{"epub and print year one apart merge on volume and pages",
			article("a", "year=2018"), article("b"),
			options{}, duplicate, "title+authors+source, year±1"},
		{"translated title in brackets and language note",
			article("a", "title=[Effect of peer support workers on engagement in community mental health care: a randomised trial]. [Article in German]"),
			article("b"),
			options{}, duplicate, "title+authors+year+source"},
		{"Greek letters, HTML entities and markup",
			article("a", "title=Role of &alpha;-synuclein in <i>Parkinson&apos;s</i> disease &amp; dementia with Lewy bodies"),
			article("b", "title=Role of α-synuclein in Parkinson's disease and dementia with Lewy bodies"),
			options{}, duplicate, "title+authors+year+source"},
		{"different DOIs never merge",
			article("a", "doi=10.1000/one"), article("b", "doi=10.1000/two"),
			options{}, distinct, "guard:doi-conflict"},
		{"years more than one apart never merge",
			article("a", "year=2016"), article("b"),
			options{}, distinct, "guard:years-apart"},
		{"conflicting volume never merges",
			article("a", "volume=215"), article("b"),
			options{}, distinct, "guard:volume-conflict"},
		{"conflicting pages never merge",
			article("a", "pages=301-309"), article("b"),
			options{}, distinct, "guard:pages-conflict"},
		{"erratum and its article are related, not merged",
			article("a", "title=Erratum: Effect of peer support workers on engagement in community mental health care: a randomised trial", "issue=6", "pages=512"),
			article("b"),
			options{}, related, "related:erratum"},
		{"an erratum filed under its article's title, typed by one database and not by another, at one place, merges",
			article("a", "issue=6", "pages=512", "pubtype=Published Erratum"),
			article("b", "issue=6", "pages=512", "db=WebOfScience"),
			options{}, duplicate, "title+authors+year+source"},
		{"an erratum filed under its article's title is related to the article, not merged",
			article("a", "issue=6", "pages=512", "pubtype=Published Erratum"),
			article("b"),
			options{}, related, "related:erratum"},
		{"a comment typed only by one database, at one place, merges",
			article("a", "title=Comment on: Effect of peer support workers on engagement in community mental health care: a randomised trial", "issue=6", "pages=e130118", "pubtype=Letter"),
			article("b", "issue=6", "pages=e130118", "pubtype=Letter", "db=Embase"),
			options{}, duplicate, "title+authors+year+source"},
		{"a comment typed Comment (MEDLINE) under its article's title is related to the article",
			article("a", "issue=6", "pages=e130118", "pubtype=Letter; Comment", "db=MEDLINE"),
			article("b"),
			options{}, related, "related:comment"},
		{"an abstract typed Abstract (CINAHL) and Conference Abstract (Embase) in one supplement merges",
			rec("a", "title=Complement inhibition in atypical HUS: a registry analysis", "authors=Smith, J.;Jones, K.", "year=2021", "journal=Blood", "volume=138", "issue=5 Supplement 1", "pages=S45-S46", "pubtype=Abstract", "db=CINAHL"),
			rec("b", "title=Complement inhibition in atypical HUS: a registry analysis", "authors=Smith J;Jones K", "year=2021", "journal=Blood", "volume=1)", "issue=5 SUPPL. 1", "pages=S45-S46", "pubtype=Conference Abstract", "db=Embase"),
			options{}, duplicate, "title+authors+year+pages, volume garbled"},
		{"an untyped record in a supplement and an abstract of it merge",
			rec("a", "title=Complement inhibition in atypical HUS: a registry analysis", "authors=Smith, J.;Jones, K.", "year=2021", "journal=Blood", "volume=138", "issue=5", "pages=S45", "db=PsycINFO"),
			rec("b", "title=Complement inhibition in atypical HUS: a registry analysis", "authors=Smith J;Jones K", "year=2021", "journal=Blood", "volume=138", "issue=5 SUPPL. 1", "pages=S45", "pubtype=Conference Abstract", "db=Embase"),
			options{}, duplicate, "title+authors+year+source"},
		{"a column of one title in one issue (no pages) merges",
			rec("a", "title=Research roundup", "authors=Lulu, Laura A.", "year=2022", "journal=Behavior & Physiotherapy", "volume=40", "issue=5"),
			rec("b", "title=Research Roundup.", "authors=Lulu, L.A.", "year=2022", "journal=Behavior and Physiotherapy", "volume=40", "issue=5", "db=Scopus"),
			options{}, duplicate, "title+authors+year+source"},
		{"a column of one title, one record without an issue, stays apart",
			rec("a", "title=Research roundup", "authors=Lulu, Laura A.", "year=2022", "journal=Behavior & Physiotherapy", "volume=40"),
			rec("b", "title=Research Roundup.", "authors=Lulu, L.A.", "year=2022", "journal=Behavior and Physiotherapy", "volume=40", "issue=5", "db=Scopus"),
			options{}, distinct, "guard:generic-title"},
		{"a title in another language sharing no word, same authors, journal, volume and page range, merges",
			rec("a", "title=Wirksamkeit von Peer-Support bei der Versorgung von Menschen mit Psychosen", "authors=Hiel, M.;Bauer, K.", "year=2019", "journal=Psychiatrische Praxis", "volume=46", "issue=4", "pages=185-200", "db=Scopus"),
			rec("b", "title=Effectiveness of peer support for people with psychosis", "authors=Hiel, Matthias;Bauer, Klaus", "year=2019", "journal=Psychiatr Prax", "volume=46", "issue=4", "pages=185-200"),
			options{}, duplicate, "translated-title+authors+year+journal+volume+pages"},
		{"a title in another language, same journal and volume, on other pages, stays apart",
			rec("a", "title=Wirksamkeit von Peer-Support bei der Versorgung von Menschen mit Psychosen", "authors=Hiel, M.;Bauer, K.", "year=2019", "journal=Psychiatrische Praxis", "volume=46", "issue=4", "pages=201-210", "db=Scopus"),
			rec("b", "title=Effectiveness of peer support for people with psychosis", "authors=Hiel, Matthias;Bauer, Klaus", "year=2019", "journal=Psychiatr Prax", "volume=46", "issue=4", "pages=185-200"),
			options{}, distinct, "guard:pages-conflict"},
		{"retraction notice and its article are related, not merged",
			article("a", "title=Retraction note: Effect of peer support workers on engagement in community mental health care: a randomised trial", "year=2020", "volume=216", "pages=99"),
			article("b"),
			options{}, related, "related:retraction"},
		{"a reply is not the article it answers",
			article("a", "title=Effect of peer support workers on engagement in community mental health care: a randomised trial - Reply", "issue=5", "pages=400"),
			article("b"),
			options{}, related, "related:comment"},
		{"Cochrane review and its update are related reports",
			rec("a", "title=Peer support for people with severe mental illness", "authors=Lloyd-Evans, B.", "year=2019", "journal=Cochrane Database of Systematic Reviews", "issue=4", "pages=CD010880"),
			rec("b", "title=Peer support for people with severe mental illness", "authors=Lloyd-Evans, B.", "year=2020", "journal=Cochrane Database of Systematic Reviews", "issue=2", "pages=CD010880"),
			options{}, related, "related:cochrane-update"},
		{"a Cochrane review of the same title by other authors a year later is not its update",
			rec("a", "title=Peer support for people with severe mental illness", "authors=Lloyd-Evans, B.", "year=2019", "journal=Cochrane Database of Systematic Reviews", "issue=4"),
			rec("b", "title=Peer support for people with severe mental illness", "authors=Chien, W. T.", "year=2020", "journal=Cochrane Database of Systematic Reviews", "issue=2"),
			options{}, distinct, "guard:cochrane-update"},
		{"one Cochrane review exported with and without its CD number, volume as year or issue, merges",
			rec("a", "title=Peer support for people with severe mental illness", "authors=Lloyd-Evans, B.;Mayo-Wilson, E.", "year=2014", "journal=Cochrane Database of Systematic Reviews", "volume=2014", "issue=5", "pages=CD010880"),
			rec("b", "title=Peer support for people with severe mental illness.", "authors=Lloyd-Evans B;Mayo-Wilson E", "year=2014", "journal=Cochrane Database Syst Rev", "volume=5"),
			options{}, duplicate, "cochrane:title+authors+year"},
		{"two Cochrane reviews with different CD numbers stay apart",
			rec("a", "title=Peer support for people with severe mental illness", "authors=Lloyd-Evans, B.", "year=2014", "journal=Cochrane Database of Systematic Reviews", "pages=CD010880"),
			rec("b", "title=Peer support for people with severe mental illness", "authors=Lloyd-Evans, B.", "year=2014", "journal=Cochrane Database of Systematic Reviews", "pages=CD010881"),
			options{}, distinct, "guard:cochrane-number"},
		{"generic title without further evidence",
			rec("a", "title=Editorial", "authors=Smith, J.", "year=2019", "journal=Lancet", "volume=393"),
			rec("b", "title=Editorial", "authors=Smith, J.", "year=2019", "journal=Lancet", "volume=393"),
			options{}, distinct, "guard:generic-title"},
		{"generic title with the same volume, pages and author merges",
			rec("a", "title=Editorial", "authors=Smith, J.", "year=2019", "journal=Lancet", "volume=393", "pages=1001"),
			rec("b", "title=EDITORIAL.", "authors=Smith J", "year=2019", "journal=Lancet", "volume=393", "pages=1001-1001"),
			options{}, duplicate, "title+authors+year+source"},
		{"Part 1 and Part 2",
			article("a", "title=Peer support in community mental health care, part 1: engagement", "volume=", "pages="),
			article("b", "title=Peer support in community mental health care, part 2: engagement", "volume=", "pages="),
			options{}, distinct, "guard:title-numbers"},
		{"the same abstract in two supplements",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.", "year=2009", "journal=British Journal of Haematology", "volume=145", "issue=Suppl. 1", "pages=23"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.", "year=2009", "journal=Haematologica", "volume=94", "issue=Suppl. 2", "pages=239-240"),
			options{}, related, "related:abstract-reprinted"},
		{"an abstract of the same title by another first author in another supplement is not linked",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.", "year=2009", "journal=British Journal of Haematology", "volume=145", "issue=Suppl. 1", "pages=23"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Hill, A.", "year=2009", "journal=Haematologica", "volume=94", "issue=Suppl. 2", "pages=239-240"),
			options{}, distinct, "guard:volume-conflict"},
		{"an Embase supplement volume split badly (VL 1), IS 5 SUPPL. 1) merges",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.", "year=2021", "journal=Blood", "volume=1)", "issue=5 SUPPL. 1", "pages=S52"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L", "year=2021", "journal=Blood", "volume=138", "issue=5 SUPPL. 1", "pages=S52"),
			options{}, duplicate, "title+authors+year+pages, volume garbled"},
		{"the supplement number in the volume (VL 1, IS 5 SUPPL. 1) merges",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.", "year=2021", "journal=Blood", "volume=1", "issue=5 SUPPL. 1", "pages=A111"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L", "year=2021", "journal=Blood", "volume=138", "issue=5 SUPPL. 1", "pages=A111"),
			options{}, duplicate, "title+authors+year+pages, volume garbled"},
		{"a garbled supplement volume without a page: the same journal, year, issue and supplement and authors place it",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.;Hill, A.", "year=2021", "journal=Blood", "volume=1)", "issue=5 SUPPL. 1", "db=Embase"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L;Hill A", "year=2021", "journal=Blood", "volume=138", "issue=5 Supplement 1", "pages=S52", "db=CINAHL"),
			options{}, duplicate, "title+authors+year+journal+issue, volume garbled"},
		{"a garbled supplement volume without a page, another supplement of the journal: review",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.;Hill, A.", "year=2021", "journal=Blood", "volume=1)", "issue=5 SUPPL. 1", "db=Embase"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L;Hill A", "year=2021", "journal=Blood", "volume=138", "issue=6 SUPPL. 2", "pages=S52", "db=CINAHL"),
			options{}, review, "title-only, volume garbled"},
		{"a garbled supplement volume without a page, one author of three in common: review",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.;Hill, A.", "year=2021", "journal=Blood", "volume=1)", "issue=5 SUPPL. 1", "db=Embase"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Moss T;Brand P", "year=2021", "journal=Blood", "volume=138", "issue=5 SUPPL. 1", "pages=S52", "db=CINAHL"),
			options{}, review, "title-only, volume garbled"},
		{"a garbled supplement volume a year apart only goes to review",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.", "year=2020", "journal=Blood", "volume=1)", "issue=5 SUPPL. 1", "pages=S52"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L", "year=2021", "journal=Blood", "volume=138", "issue=5 SUPPL. 1", "pages=S52"),
			options{}, review, "title-only, volume garbled"},
		{"one abstract at two meetings, each with a garbled volume, same page number, two journals: not merged",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.", "year=2021", "journal=British Journal of Midwifery", "volume=3)", "issue=2 SUPPL. 3", "pages=A32"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L", "year=2021", "journal=International Journal of Pharmacology", "volume=1)", "issue=6 SUPPL. 1", "pages=A32"),
			options{}, review, "title-only, volume garbled"},
		{"a volume that is not the supplement number still conflicts",
			rec("a", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly, R.;Arnold, L.", "year=2021", "journal=Blood", "volume=2", "issue=5 SUPPL. 1", "pages=52-60"),
			rec("b", "title=Eculizumab dose modification in paroxysmal nocturnal haemoglobinuria", "authors=Kelly R;Arnold L", "year=2021", "journal=Blood", "volume=138", "issue=5 SUPPL. 1", "pages=52-60"),
			options{}, distinct, "guard:volume-conflict"},
		{"recurring column: same title, author, volume and year, another issue, no pages",
			rec("a", "title=Gateways to clinical trials", "authors=Bayes, M.;Rabasseda, X.", "year=2007", "journal=Methods Find Exp Clin Pharmacol", "volume=29", "issue=7"),
			rec("b", "title=Gateways to clinical trials", "authors=Bayes, M.;Rabasseda, X.", "year=2007", "journal=Methods Find Exp Clin Pharmacol", "volume=29", "issue=5"),
			options{}, distinct, "guard:issue-conflict"},
		{"the same recurring column in one issue merges",
			rec("a", "title=Gateways to clinical trials", "authors=Bayes, M.;Rabasseda, X.", "year=2007", "journal=Methods Find Exp Clin Pharmacol", "volume=29", "issue=5"),
			rec("b", "title=GATEWAYS TO CLINICAL TRIALS.", "authors=Bayes M;Rabasseda X", "year=2007", "journal=Methods and Findings in Experimental and Clinical Pharmacology", "volume=29", "issue=5"),
			options{}, duplicate, "title+authors+year+source"},
		{"two papers of one short title in one volume, issues 7 and 5, pages 493-506 and 493-499",
			rec("a", "title=Peer support in psychosis", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "issue=7", "pages=493-506"),
			rec("b", "title=Peer support in psychosis", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "issue=5", "pages=493-499"),
			options{}, distinct, "guard:issue-conflict"},
		{"one title, shared co-authors but another first author, one volume, no pages: review",
			rec("a", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "pages=493-506"),
			rec("b", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Jones, K.;Smith, J.", "year=2019", "journal=Schizophr Bull", "volume=45"),
			options{}, review, "title-only"},
		{"one title, the same first author, one volume, no pages: merges",
			rec("a", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "pages=493-506"),
			rec("b", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith J;Jones K", "year=2019", "journal=Schizophrenia Bulletin", "volume=45"),
			options{}, duplicate, "title+authors+year+source"},
		{"one title and authors in two journals of one volume number, no pages: review",
			rec("a", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "pages=493-506"),
			rec("b", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith J;Jones K", "year=2019", "journal=Psychiatric Services", "volume=45"),
			options{}, review, "title-only"},
		{"a title of a few words, the same authors, one volume, no issue or pages: review",
			rec("a", "title=Peer support in psychosis", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "pages=493-506"),
			rec("b", "title=Peer support in psychosis", "authors=Smith J;Jones K", "year=2019", "journal=Schizophrenia Bulletin", "volume=45"),
			options{}, review, "title-only, brief title"},
		{"a review heading an article's title, first authors agreeing only through a given name: no study link",
			rec("a", "title=Cognitive behavioural therapy for cystic fibrosis among women: a narrative review", "authors=Inetako, Robert Thomas;Demu, Anna;Roro, Linda", "year=2011", "journal=J Behav Gerontol", "volume=35", "pages=242-55", "pubtype=Journal Article"),
			rec("b", "title=Cognitive behavioural therapy for cystic fibrosis", "authors=Thomas, João;Sataase, Daniel Jan;Nuol, Lisa;Liu, Stev", "year=2013", "journal=Cochrane Database Syst Rev", "pages=CD003964", "doi=10.1002/14651858.cd003964"),
			options{}, distinct, "guard:article/cochrane_review"},
		{"a column in two issues of one volume on the same page (issues paginated apart): different reports",
			rec("a", "title=President's Message", "authors=Zhang, Kenneth", "year=2025", "journal=J Policy Virol", "volume=23", "issue=7", "pages=756", "pubtype=Editorial"),
			rec("b", "title=President's Message", "authors=Zhang, K.", "year=2025", "journal=J Policy Virol", "volume=23", "issue=8", "pages=756", "pubtype=Note", "db=Embase"),
			options{}, distinct, "guard:issue-conflict"},
		{"a long title in two issues, the same pages: an issue typo, merges",
			rec("a", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "issue=7", "pages=493-506"),
			rec("b", "title=Peer support for people with first-episode psychosis in early intervention services", "authors=Smith J;Jones K", "year=2019", "journal=Schizophr Bull", "volume=45", "issue=8", "pages=493-506"),
			options{}, duplicate, "title+authors+year+source"},
		{"a column with volume, issue and page against one with none, same journal and year: review",
			rec("a", "title=What's New in Practice.", "authors=Mac Luvi, Olga", "year=2006", "journal=Int J Radiol Inform", "volume=57", "issue=3", "pages=125"),
			rec("b", "title=What's New in Practice", "authors=Mac Luvi, O.", "year=2006", "journal=Int J Radiol Inform", "db=Scopus"),
			options{}, review, "title-only, brief title"},
		{"one abstract title in two journals with one volume number and page, issues differing: review",
			rec("a", "title=Evaluation of nusomiolol on quality of life in perioperative refugees: a pilot", "authors=Tonacu, S.;Ruiz, A.", "year=2023", "journal=Research & Informatics", "volume=50", "issue=SUPPL. 2", "pages=62", "db=Scopus"),
			rec("b", "title=Evaluation of nusomiolol on quality of life in perioperative refugees: a pilot", "authors=Tonacu, S.;Ruiz, A.", "year=2023", "journal=Archives of Addiction", "volume=50", "issue=1 SUPPL. 2", "pages=62", "db=Scopus"),
			options{}, review, "title-only"},
		{"one title in two journal names with one volume, issue and page: merges",
			rec("a", "title=Evaluation of nusomiolol on quality of life in perioperative refugees: a pilot", "authors=Tonacu, S.;Ruiz, A.", "year=2023", "journal=Research & Informatics", "volume=50", "issue=2", "pages=62-70", "db=Scopus"),
			rec("b", "title=Evaluation of nusomiolol on quality of life in perioperative refugees: a pilot", "authors=Tonacu, S.;Ruiz, A.", "year=2023", "journal=Res Inform Today", "volume=50", "issue=2", "pages=62-70", "db=Embase"),
			options{}, duplicate, "title+authors+year+source"},
		{"a letter typed Comment by MEDLINE and Letter by Scopus, same title, authors, journal, volume and issue: merges",
			rec("a", "title=Does asepatinib improve frailty among gamblers?: a realist evaluation.", "authors=van Hasoase, Kenneth B.;Ito, M.", "year=2022", "journal=Archives of Psychiatry", "volume=64", "issue=2", "pages=66-67", "pubtype=Comment"),
			rec("b", "title=Does asepatinib improve frailty among gamblers?: a realist evaluation", "authors=van Hasoase, K.B.;Ito, M.", "year=2022", "journal=Archives of Psychiatry", "volume=64", "issue=2", "doi=10.1002/archpsyc.24574", "pubtype=Letter", "db=Scopus"),
			options{}, duplicate, "title+authors+year+source"},
		{"a letter by other authors under the same title as a comment: apart",
			rec("a", "title=Does asepatinib improve frailty among gamblers?: a realist evaluation.", "authors=van Hasoase, Kenneth B.;Ito, M.", "year=2022", "journal=Archives of Psychiatry", "volume=64", "issue=2", "pages=66-67", "pubtype=Comment"),
			rec("b", "title=Does asepatinib improve frailty among gamblers?: a realist evaluation", "authors=Okafor, C.;Lund, P.", "year=2022", "journal=Archives of Psychiatry", "volume=64", "issue=2", "doi=10.1002/archpsyc.24574", "pubtype=Letter", "db=Scopus"),
			options{}, distinct, "guard:authors-differ"},
		{"a reply typed Letter under its article's title, by one of its authors, in the article's volume: review",
			rec("a", "title=Hiza disease with inmates and intervention of epilepsy: a randomised trial", "authors=Feoldi, M.;Kim, J.;Ross, A.", "year=2025", "journal=Int J Pharm Inform", "volume=41", "pages=1435-1439", "pubtype=Article", "db=Embase"),
			rec("b", "title=Hiza disease with inmates and intervention of epilepsy: a randomised trial", "authors=Feoldi, M.", "year=2025", "journal=Int J Pharm Inform", "volume=41", "issue=3", "pubtype=Letter", "db=Embase"),
			options{}, review, "title-only, letter and article"},
		{"a research letter typed Letter in one database and Journal Article in another, same pages: merges",
			rec("a", "title=Hiza disease with inmates and intervention of epilepsy: a randomised trial", "authors=Feoldi, M.;Kim, J.", "year=2025", "journal=Int J Pharm Inform", "volume=41", "pages=1435-1439", "pubtype=Journal Article"),
			rec("b", "title=Hiza disease with inmates and intervention of epilepsy: a randomised trial", "authors=Feoldi M;Kim J", "year=2025", "journal=Int J Pharm Inform", "volume=41", "pages=1435-9", "pubtype=Letter", "db=Embase"),
			options{}, duplicate, "title+authors+year+source"},
		{"two records typed Letter, one without pages: merges",
			rec("a", "title=Hiza disease with inmates and intervention of epilepsy: a randomised trial", "authors=Feoldi, M.", "year=2025", "journal=Int J Pharm Inform", "volume=41", "pages=1441-1442", "pubtype=Letter"),
			rec("b", "title=Hiza disease with inmates and intervention of epilepsy: a randomised trial", "authors=Feoldi M", "year=2025", "journal=Int J Pharm Inform", "volume=41", "issue=3", "pubtype=Letter", "db=Embase"),
			options{}, duplicate, "title+authors+year+source"},
		{"a title of a few words, the same authors, one volume and page range: merges",
			rec("a", "title=Peer support in psychosis", "authors=Smith, J.;Jones, K.", "year=2019", "journal=Schizophr Bull", "volume=45", "pages=493-506"),
			rec("b", "title=Peer support in psychosis", "authors=Smith J;Jones K", "year=2019", "journal=Schizophrenia Bulletin", "volume=45", "pages=493-506"),
			options{}, duplicate, "title+authors+year+source"},
		{"one short title, one volume and first page, ranges ending elsewhere, first authors differing (one shared name): review",
			rec("a", "title=Peer support across infants in care", "authors=Li, W.A.;Seentcu, M.J.;Iveerfe, D.", "year=1998", "journal=Arch Addict", "volume=25", "issue=8", "pages=2323-2338"),
			rec("b", "title=Peer support across infants in care", "authors=Coveki, H.;Li, J.M.", "year=1998", "journal=Arch Addict", "volume=25", "pages=2323-2330"),
			options{}, review, "title+bib, authors differ"},
		{"a mistyped issue with every other field and the whole page range agreeing merges",
			article("a", "issue=2"), article("b", "authors=Smith JA;Jones K;Brown L", "pages=221-8"),
			options{}, duplicate, "title+authors+year+source"},
		{"fields shifted one place (v– n26 p9 for v26 n9 p1746) merge",
			rec("a", "title=The treatment of atypical HUS", "authors=Loirat, C.", "year=2011", "journal=Pediatric Nephrology", "issue=26", "pages=9"),
			rec("b", "title=The treatment of atypical HUS", "authors=Loirat, C.", "year=2011", "journal=Pediatr Nephrol", "volume=26", "issue=9", "pages=1746"),
			options{}, duplicate, "title+authors+year+journal, fields shifted"},
		{"fields that do not line up when shifted stay apart",
			rec("a", "title=The treatment of atypical HUS", "authors=Loirat, C.", "year=2011", "journal=Pediatric Nephrology", "issue=26", "pages=9"),
			rec("b", "title=The treatment of atypical HUS", "authors=Loirat, C.", "year=2011", "journal=Pediatr Nephrol", "volume=26", "issue=10", "pages=1746"),
			options{}, distinct, "guard:pages-conflict"},
		{"one short item indexed at two pages of one issue merges",
			rec("a", "title=Amantadine for the posttraumatic confusional state: a randomized trial", "authors=Yablon, S.;Sherer, M.", "year=2010", "journal=Arch Phys Med Rehabil", "volume=91", "issue=10", "pages=e8-e9"),
			rec("b", "title=Amantadine for the posttraumatic confusional state: a randomized trial", "authors=Yablon, S.;Sherer, M.", "year=2010", "journal=Archives of Physical Medicine and Rehabilitation", "volume=91", "issue=10", "pages=e3"),
			options{}, duplicate, "title+authors+journal+volume+issue, printed twice"},
		{"one abstract as an oral and a poster presentation of one meeting is two reports of one study",
			rec("a", "title=Amantadine for the posttraumatic confusional state: a randomized trial", "authors=Yablon, S.;Sherer, M.", "year=2010", "journal=Arch Phys Med Rehabil", "volume=91", "issue=10 Suppl 1", "pages=OP-18"),
			rec("b", "title=Amantadine for the posttraumatic confusional state: a randomized trial", "authors=Yablon, S.;Sherer, M.", "year=2010", "journal=Archives of Physical Medicine and Rehabilitation", "volume=91", "issue=10 Suppl 1", "pages=P19"),
			options{}, related, "related:abstract-reprinted"},
		{"part 1 and part 2 at two article numbers of one issue stay apart",
			rec("a", "title=Falls prevention in web-based alcohol programmes: part 1", "authors=Rabi, D.;Buol, J.", "year=2018", "journal=Aust J Gastroenterol", "volume=35", "issue=5", "pages=e489070"),
			rec("b", "title=Falls prevention in web-based alcohol programmes: part 2", "authors=Rabi, D.;Buol, J.", "year=2018", "journal=Aust J Gastroenterol", "volume=35", "issue=5", "pages=e489033"),
			options{}, distinct, "guard:pages-conflict"},
		{"one abstract at two meetings, both supplement numbers as volume (1), P65 and S65, a year apart, is not merged",
			rec("a", "title=Sleep quality and malaria in chronic kidney disease: a cohort", "authors=Ive, L.A.;Roberts, A.;Park, D.L.", "year=2023", "journal=Archives of Addiction", "volume=1)", "issue=6 SUPPL. 1", "pages=S65"),
			rec("b", "title=Sleep quality and malaria in chronic kidney disease: a cohort", "authors=Ive, L.A.;Roberts, A.;Park, D.L.", "year=2024", "journal=British Journal of Pathology", "volume=1", "issue=10 SUPPL. 1", "pages=P65"),
			options{}, related, "related:abstract-reprinted"},
		{"two short items of one title in two issues stay apart",
			rec("a", "title=Amantadine for the posttraumatic confusional state: a randomized trial", "authors=Yablon, S.;Sherer, M.", "year=2010", "journal=Arch Phys Med Rehabil", "volume=91", "issue=11", "pages=e9"),
			rec("b", "title=Amantadine for the posttraumatic confusional state: a randomized trial", "authors=Yablon, S.;Sherer, M.", "year=2010", "journal=Archives of Physical Medicine and Rehabilitation", "volume=91", "issue=10", "pages=e3"),
			options{}, distinct, "guard:pages-conflict"},
		{"trial registrations of one family: adult and adolescent patients",
			rec("a", "title=Open label controlled trial of eculizumab in adult patients with plasma therapy-sensitive aHUS", "authors=Alexion Pharmaceuticals, Inc", "year=2011"),
			rec("b", "title=Open label controlled trial of eculizumab in adolescent patients with plasma therapy-sensitive aHUS", "authors=Alexion Pharmaceuticals, Inc", "year=2011"),
			options{}, distinct, "guard:title-contrast"},
		{"one trial registration exported twice",
			rec("a", "title=Open label controlled trial of eculizumab in adult patients with plasma therapy-sensitive aHUS", "authors=Alexion Pharmaceuticals, Inc", "year=2011"),
			rec("b", "title=Open-label controlled trial of eculizumab in adult patients with plasma therapy sensitive aHUS.", "authors=Alexion Pharmaceuticals, Inc", "year=2011"),
			options{}, review, "title-only"},
		{"Embase conference abstract and Scopus conference paper of one abstract merge",
			rec("a", "title=Complement inhibition in atypical HUS: a registry analysis", "authors=Smith, J.;Jones, K.", "year=2021", "journal=Blood", "volume=138", "issue=Supplement 1", "pubtype=Conference Abstract"),
			rec("b", "title=Complement inhibition in atypical HUS: A registry analysis", "authors=Smith J.;Jones K.", "year=2021", "journal=Blood", "volume=138", "pubtype=Conference Paper", "db=Scopus"),
			options{}, duplicate, "title+authors+year+source"},
		{"a conference abstract and a journal article of one title are related reports",
			rec("a", "title=Complement inhibition in atypical HUS: a registry analysis", "authors=Smith, J.;Jones, K.", "year=2021", "journal=Blood", "volume=138", "issue=Supplement 1", "pubtype=Conference Abstract"),
			rec("b", "title=Complement inhibition in atypical HUS: A registry analysis", "authors=Smith J.;Jones K.", "year=2022", "journal=Blood", "volume=140", "pubtype=Article", "db=Scopus"),
			options{}, related, "related:article/conference_abstract"},
		{"Google Scholar BibTeX twins (@inproceedings and @article, keys smith2019peer and smith2019peera) merge",
			rec("a", "format=bibtex", "key=smith2019peer", "type=inproceedings", "title=Peer support platforms in the sharing economy", "authors=Smith, John and Doe, Anna", "year=2019", "journal=Proceedings of the 52nd Hawaii International Conference on System Sciences", "db=Google Scholar"),
			rec("b", "format=bibtex", "key=smith2019peera", "type=article", "title=Peer support platforms in the sharing economy", "authors=Smith, J. and Doe, A.", "year=2019", "db=Google Scholar"),
			options{}, duplicate, "title+authors+year, BibTeX key twin"},
		{"a conference paper and its journal version (key twins, venues differ) are related",
			rec("a", "format=bibtex", "key=smith2019peer", "type=inproceedings", "title=Peer support platforms in the sharing economy", "authors=Smith, John and Doe, Anna", "year=2019", "journal=Proceedings of the 52nd Hawaii International Conference on System Sciences", "db=Google Scholar"),
			rec("b", "format=bibtex", "key=smith2019peera", "type=article", "title=Peer support platforms in the sharing economy", "authors=Smith, J. and Doe, A.", "year=2019", "journal=MIS Quarterly", "db=Google Scholar"),
			options{}, related, "related:article/conference_abstract"},
		{"one conference paper under two names of its venue (AMCIS) merges",
			rec("a", "type=CONF", "title=The Sharing Economy - Effects on Incumbents", "authors=Smith, John;Doe, Anna", "year=2017", "journal=Americas Conference on Information Systems"),
			rec("b", "type=CONF", "title=The Sharing Economy: Effects on Incumbents", "authors=Smith, J.;Doe, Anna", "year=2017", "journal=AMCIS 2017 Proceedings", "db=Google Scholar"),
			options{}, duplicate, "title+authors+year+source"},
		{"one conference paper: a venue acronym in both names (CHI)",
			rec("a", "type=CONF", "title=The Sharing Economy - Effects on Incumbents", "authors=Smith, John;Doe, Anna", "year=2017", "journal=Conference on Human Factors in Computing Systems (CHI)"),
			rec("b", "type=CONF", "title=The Sharing Economy: Effects on Incumbents", "authors=Smith, J.;Doe, Anna", "year=2017", "journal=CHI 2017 Proceedings", "db=Google Scholar"),
			options{}, duplicate, "title+authors+year+source"},
		{"the same title at another conference only goes to review",
			rec("a", "type=CONF", "title=The Sharing Economy - Effects on Incumbents", "authors=Smith, John;Doe, Anna", "year=2017", "journal=Americas Conference on Information Systems"),
			rec("b", "type=CONF", "title=The Sharing Economy: Effects on Incumbents", "authors=Smith, J.;Doe, Anna", "year=2017", "journal=ICIS 2017 Proceedings", "db=Google Scholar"),
			options{}, review, "title-only"},
		{"same DOI, authors and pages, title in two languages merge",
			article("a", "title=Wirksamkeit von Peer-Support in der gemeindepsychiatrischen Versorgung: eine randomisierte Studie", "doi=10.1055/s-0039-1234"),
			article("b", "doi=10.1055/S-0039-1234", "journal=Psychiatrische Praxis"),
			options{}, duplicate, "doi+authors+place, title in two languages"},
		{"same DOI, authors and volume, title in two languages, a number only in the English title: merge",
			rec("a", "title=Barriers to peer support in supervised consumption sites during COVID-19: a qualitative study", "authors=Sata, Helen B.;Lo, Yuki", "year=2021", "journal=Evidence & Psychology", "volume=33", "issue=1", "pages=3-15", "doi=10.1002/evidpsyc.26207", "db=Embase"),
			rec("b", "title=Barreras del apoyo entre pares en los sitios de consumo supervisado y la pandemia: un estudio cualitativo", "authors=Sata, H.B.;Lo, Y.", "year=2021", "journal=Evidence & Psychology", "volume=33", "issue=1", "doi=10.1002/evidpsyc.26207", "db=Scopus"),
			options{}, duplicate, "doi+authors+place, title in two languages"},
		{"no shared identifier, title in two languages, a number only in the English title: apart",
			rec("a", "title=Barriers to peer support in supervised consumption sites during COVID-19: a qualitative study", "authors=Sata, Helen B.;Lo, Yuki", "year=2021", "journal=Evidence & Psychology", "volume=33", "issue=1", "pages=3-15", "db=Embase"),
			rec("b", "title=Barreras del apoyo entre pares en los sitios de consumo supervisado y la pandemia: un estudio cualitativo", "authors=Sata, H.B.;Lo, Y.", "year=2021", "journal=Evidence & Psychology", "volume=33", "issue=1", "db=Scopus"),
			options{}, distinct, "guard:title-numbers"},
		{"same DOI and authors, two different English titles only go to review",
			article("a", "title=Housing first for people who are homeless: a pragmatic trial", "doi=10.1055/s-0039-1234"),
			article("b", "doi=10.1055/s-0039-1234"),
			options{}, review, "doi-agree-title-differs"},
		{"same DOI, authors and page range, a title reworded, merge",
			article("a", "title=Effect of peer workers on engagement in mental health care", "doi=10.1055/s-0039-1234"),
			article("b", "doi=10.1055/s-0039-1234"),
			options{}, duplicate, "doi+authors+page range, title reworded"},
		{"same supplement DOI, authors and one page, a title reworded, only go to review",
			article("a", "title=Effect of peer workers on engagement in mental health care", "doi=10.1055/s-0039-1234", "pages=S12"),
			article("b", "doi=10.1055/s-0039-1234", "pages=S12"),
			options{}, review, "doi-agree-title-differs"},
		{"same DOI, title in two languages, pages elsewhere stays apart",
			article("a", "title=Wirksamkeit von Peer-Support in der gemeindepsychiatrischen Versorgung: eine randomisierte Studie", "doi=10.1055/s-0039-1234", "pages=301-309"),
			article("b", "doi=10.1055/s-0039-1234"),
			options{}, distinct, "guard:pages-conflict"},
		{"an English rendering of an Italian article's title, worded differently elsewhere: same author, journal, volume and range merge",
			rec("a", "title=Reducing exposure of collaborative management in mental health services in imaging of alcohol application disorder", "authors=Chen, Yuki", "year=2018", "journal=Health Research", "volume=58", "issue=3", "pages=125-139", "lang=Italian", "db=Embase"),
			rec("b", "title=Reducing exposure of collaborative care in mental health services among imaging of alcohol use disorder.", "authors=Chen, Yuki", "year=2018", "journal=Health Research", "volume=58", "issue=3", "pages=125-139", "lang=English", "db=CINAHL"),
			options{}, duplicate, "translated-title+authors+year+journal+volume+pages"},
		{"the same two titles, both articles in English: review",
			rec("a", "title=Reducing exposure of collaborative management in mental health services in imaging of alcohol application disorder", "authors=Chen, Yuki", "year=2018", "journal=Health Research", "volume=58", "issue=3", "pages=125-139", "lang=English", "db=Embase"),
			rec("b", "title=Reducing exposure of collaborative care in mental health services among imaging of alcohol use disorder.", "authors=Chen, Yuki", "year=2018", "journal=Health Research", "volume=58", "issue=3", "pages=125-139", "lang=eng", "db=CINAHL"),
			options{}, review, "weak-title+authors+volume+pages"},
		{"two translations of one foreign title, same author, journal, volume and page range",
			article("a", "title=[Effect of peer support workers on engagement with community psychiatric care: a randomised study]. [Spanish]"),
			article("b", "title=Effect of peer support workers on engagement in community mental health care: a randomised trial. [Spanish]", "journal=Br J Psychiatry"),
			options{}, duplicate, "translated-title+authors+year+journal+volume+pages"},
		{"two renderings of a bracketed foreign title a few words apart, journal abbreviated",
			rec("a", "title=[A new paracentesis needle for the drainage of ascites in cirrhotic patients]", "authors=Garcia, P.;Lopez, M.", "year=2004", "journal=Gastroenterologia y Hepatologia", "volume=27", "issue=3", "pages=134-137"),
			rec("b", "title=New needle for paracentesis of ascites in patients with liver cirrhosis", "authors=Garcia P;Lopez M", "year=2004", "journal=Gastroenterol Hepatol", "volume=27", "issue=3", "pages=134-7"),
			options{}, duplicate, "translated-title+authors+year+journal+volume+pages"},
		{"two renderings of a bracketed foreign title on other pages stay apart",
			rec("a", "title=[A new paracentesis needle for the drainage of ascites in cirrhotic patients]", "authors=Garcia, P.;Lopez, M.", "year=2004", "journal=Gastroenterologia y Hepatologia", "volume=27", "issue=3", "pages=134-137"),
			rec("b", "title=New needle for paracentesis of ascites in patients with liver cirrhosis", "authors=Garcia P;Lopez M", "year=2004", "journal=Gastroenterol Hepatol", "volume=27", "issue=3", "pages=138-141"),
			options{}, distinct, "guard:pages-conflict"},
		{"the same reworded title without a translation mark only goes to review",
			article("a", "title=Effect of peer support workers on engagement with community psychiatric care: a randomised study"),
			article("b"),
			options{}, review, "weak-title+authors+volume+pages"},
		{"a translated title on a single page is not enough",
			article("a", "title=[Effect of peer support workers on engagement with community psychiatric care: a randomised study]", "pages=221"),
			article("b", "pages=221"),
			options{}, review, "weak-title+authors+volume+pages"},
		{"the record printed where the article's erratum note points is related",
			article("a", "title=Effect of peer support workers on engagement in community mental health care: a randomised trial.[Erratum appears in Br J Psychiatry. 2019 Jun;214(6):400]"),
			article("b", "issue=6", "pages=400-401"),
			options{}, related, "related:erratum-cited"},
		{"an erratum note pointing elsewhere links nothing",
			article("a", "title=Effect of peer support workers on engagement in community mental health care: a randomised trial.[Erratum appears in Br J Psychiatry. 2019 Jun;214(6):400]"),
			article("b", "issue=6", "pages=402-403"),
			options{}, distinct, "guard:pages-conflict"},
		{"a one-page item under the article's title is a related report",
			article("a", "issue=9", "pages=1875"),
			article("b"),
			options{}, related, "related:short-item"},
		{"a one-page item by another first author stays apart",
			article("a", "issue=9", "pages=1875", "authors=Jones, K.;Smith, John A."),
			article("b"),
			options{}, distinct, "guard:pages-conflict"},
		{"preprint and article are related reports",
			article("a", "journal=medRxiv", "doi=10.1101/2019.01.01.123456", "volume=", "issue=", "pages=", "year=2018"),
			article("b", "doi=10.1192/bjp.2019.1"),
			options{}, related, "related:article/preprint"},
		{"a preprint with no authors is not linked to an article of the same title",
			article("a", "journal=medRxiv", "doi=10.1101/2019.01.01.123456", "volume=", "issue=", "pages=", "year=2018", "authors="),
			article("b", "doi=10.1192/bjp.2019.1"),
			options{}, review, "related?:article/preprint, authors missing"},
		{"a preprint posted years after an article of the same title is another study",
			article("a", "journal=medRxiv", "doi=10.1101/2023.01.01.123456", "volume=", "issue=", "pages=", "year=2023"),
			article("b", "doi=10.1192/bjp.2019.1"),
			options{}, distinct, "guard:article/preprint, years"},
		{"a review whose short title heads a longer article title by other authors is not linked",
			rec("a", "title=Nurse-led clinics for type 2 diabetes", "authors=Yang, P.;Riseism, O.;Hapo, M.;Wang, M.", "year=2017", "journal=Cochrane Database of Systematic Reviews", "pages=CD007104"),
			rec("b", "title=Nurse-led clinics for type 2 diabetes among infants in prisons: diagnosis and training of staff", "authors=En-Netesi, J.;Wang, E.", "year=2017", "journal=Int J Pharmacol", "volume=33", "pages=256-69"),
			options{}, distinct, "guard:article/cochrane_review"},
		{"a letter by other authors about an article is not linked to it",
			article("a", "title=Re: Effect of peer support workers on engagement in community mental health care: a randomised trial", "authors=Kumar, R.", "issue=6", "pages=500"),
			article("b"),
			options{}, distinct, "guard:article/comment"},
		{"preprint merges when configured",
			article("a", "journal=medRxiv", "doi=10.1101/2019.01.01.123456", "volume=", "issue=", "pages=", "year=2018"),
			article("b", "doi=10.1192/bjp.2019.1"),
			options{mergePreprints: true}, duplicate, "preprint+article (merge_preprints)"},
		{"a title alone is not enough: review",
			rec("a", "title=Effect of peer support workers on engagement in community mental health care", "authors=Smith, J."),
			rec("b", "title=Effect of peer support workers on engagement in community mental health care", "authors=Smith, J."),
			options{}, review, "title-only"},
		{"human decision same overrides",
			rec("a", "title=Effect of peer support workers on engagement in community mental health care", "authors=Smith, J."),
			rec("b", "title=Effect of peer support workers on engagement in community mental health care", "authors=Smith, J."),
			options{decisions: map[[2]string]humanDecision{{"a", "b"}: humanSame}}, duplicate, "human:same"},
		{"human decision different overrides",
			article("a"), article("b"),
			options{decisions: map[[2]string]humanDecision{{"a", "b"}: humanDifferent}}, distinct, "human:different"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := runDedupe(t, []tables.Record{tc.a, tc.b}, tc.opt)
			p := pairRow(res, "a", "b")
			if p == nil && tc.decision == distinct {
				// Plainly different pairs are not written: decide directly.
				pa, pb := prepare(&tc.a, false), prepare(&tc.b, false)
				ev := compareFields(&pa, &pb)
				v := decide(&pa, &pb, &ev, false)
				p = &tables.DuplicatePair{Decision: v.decision, Rule: v.rule}
			}
			if p == nil {
				t.Fatalf("pair a,b not reported; pairs: %+v", res.pairs)
			}
			if p.Decision != tc.decision || p.Rule != tc.rule {
				t.Errorf("decision %s rule %q, want %s %q (note %q)", p.Decision, p.Rule, tc.decision, tc.rule, p.Note)
			}
			w := workOf(res)
			if merged := w["a"] == w["b"]; merged != (tc.decision == duplicate) {
				t.Errorf("merged=%v, want %v", merged, tc.decision == duplicate)
			}
			if tc.decision == related {
				st := map[string]string{}
				for _, wk := range res.works {
					st[wk.WorkID] = wk.StudyID
				}
				if st[w["a"]] != st[w["b"]] {
					t.Errorf("related works in studies %s and %s, want one study", st[w["a"]], st[w["b"]])
				}
			}
			if tc.decision == review && len(res.review) != 1 {
				t.Errorf("review queue has %d items, want 1", len(res.review))
			}
		})
	}
}

// TestRecurringColumnWithoutIssue: a column's records in issues 5 and 7 of
// one volume, and a record of it without an issue: that record could be
// either, so it merges with neither (review, with a note); a second record
// of issue 7 still merges with issue 7.
func TestRecurringColumnWithoutIssue(t *testing.T) {
	col := func(id string, f ...string) tables.Record {
		return rec(id, append([]string{"title=Gateways to clinical trials in oncology and haematology nursing", "authors=Bayes, M.", "year=2007", "journal=Methods Find Exp Clin Pharmacol", "volume=29"}, f...)...)
	}
	res := runDedupe(t, []tables.Record{col("i5", "issue=5"), col("i7", "issue=7"), col("i7b", "issue=7", "db=Embase"),
		col("none", "db=CINAHL"), col("i7doi", "db=Scopus", "doi=10.1000/col7"), col("i7doi2", "db=PsycINFO", "issue=7", "doi=10.1000/col7")}, options{})
	w := workOf(res)
	if w["i5"] == w["i7"] || w["none"] == w["i5"] || w["none"] == w["i7"] {
		t.Errorf("works %v: issues 5, 7 and the record without an issue must stay apart", w)
	}
	// i7doi has no issue either, but its DOI places it in issue 7; the
	// record without issue or DOI still must not join it.
	if w["i7doi"] != w["i7doi2"] || w["none"] == w["i7doi"] {
		t.Errorf("works %v: i7doi belongs with i7doi2, and not with none", w)
	}
	if w["i7"] != w["i7b"] {
		t.Errorf("works %v: two records of issue 7 must merge", w)
	}
	p := pairRow(res, "i7", "none")
	if p == nil || p.Decision != review || !strings.Contains(p.Note, "recurs") {
		t.Errorf("pair i7–none %+v, want review with a note on the recurring title", p)
	}
}

// TestChainIsSplit: b has no DOI and matches both a and c, but a and c have
// different DOIs: transitive grouping must not put a and c together.
func TestChainIsSplit(t *testing.T) {
	a := article("a", "doi=10.1000/one")
	b := article("b")
	c := article("c", "doi=10.1000/two")
	res := runDedupe(t, []tables.Record{a, b, c}, options{})
	w := workOf(res)
	if w["a"] == w["c"] {
		t.Fatalf("a and c merged through b: %v", w)
	}
	// a–b and b–c are equally strong; the edge met first in the fixed order
	// (a–b: smaller indices) wins, and b–c is sent to review.
	if w["a"] != w["b"] {
		t.Errorf("want a with b, got %v", w)
	}
	p := pairRow(res, "b", "c")
	if p == nil || p.Decision != review || !strings.Contains(p.Note, "not merged") {
		t.Errorf("b–c: %+v, want review with a not-merged note", p)
	}
}

// TestInputOrderDoesNotMatter shuffles one set of records many ways: every
// table must come out identical.
func TestInputOrderDoesNotMatter(t *testing.T) {
	records := []tables.Record{
		article("a", "doi=10.1000/one"), article("b"), article("c", "doi=10.1000/two"),
		article("d", "year=2018"), article("e", "title=Erratum: Effect of peer support workers on engagement in community mental health care: a randomised trial", "pages=99"),
		rec("f", "title=Editorial", "year=2019"), rec("g", "title=Editorial", "year=2019"),
		article("h", "db=Embase", "authors=Smith J;Jones K;Brown L"),
	}
	want := runDedupe(t, records, options{})
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 20; k++ {
		rng.Shuffle(len(records), func(i, j int) { records[i], records[j] = records[j], records[i] })
		got := runDedupe(t, records, options{})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d changed the output", k)
		}
	}
}

// TestSourceTables: MEDLINE has a, b (one work) and c; Embase has a' (same
// work as a) and d. Hand count: MEDLINE 3 records, 2 works, 1 only there
// (c); Embase 2 records, 2 works, 1 only there (d); shared 1 work,
// union 3 works, Jaccard 1/3 = 0.333.
func TestSourceTables(t *testing.T) {
	recs := []tables.Record{
		article("a"), article("b", "authors=Smith J;Jones K;Brown L"),
		rec("c", "title=Something else entirely about housing first programmes", "authors=Doe, J.", "year=2019", "volume=1", "pages=1-9"),
		article("a2", "db=Embase"),
		rec("d", "db=Embase", "title=Yet another unrelated report on peer navigators", "authors=Roe, R.", "year=2020", "volume=2", "pages=5-7"),
	}
	res := runDedupe(t, recs, options{})
	wantContrib := []tables.SourceContribution{
		{Round: "r1", Database: "Embase", Records: 2, Works: 2, UniqueWorks: 1, NewWorks: 2},
		{Round: "r1", Database: "MEDLINE", Records: 3, Works: 2, UniqueWorks: 1, NewWorks: 2},
		{Round: "", Database: "Embase", Records: 2, Works: 2, UniqueWorks: 1, NewWorks: 2},
		{Round: "", Database: "MEDLINE", Records: 3, Works: 2, UniqueWorks: 1, NewWorks: 2},
	}
	if !reflect.DeepEqual(res.contribution, wantContrib) {
		t.Errorf("contribution:\n got %+v\nwant %+v", res.contribution, wantContrib)
	}
	wantOverlap := []tables.SourceOverlap{
		{Round: "r1", DatabaseA: "Embase", DatabaseB: "MEDLINE", SharedWorks: 1, Jaccard: 0.333},
		{Round: "", DatabaseA: "Embase", DatabaseB: "MEDLINE", SharedWorks: 1, Jaccard: 0.333},
	}
	if !reflect.DeepEqual(res.overlap, wantOverlap) {
		t.Errorf("overlap:\n got %+v\nwant %+v", res.overlap, wantOverlap)
	}
}

// runStage runs the stage as the pipeline does, with output as the
// previous committed output folder.
func runStage(t *testing.T, output string, rounds []string, records []tables.Record, params *Params) *pipeline.Run {
	t.Helper()
	cfg := &pipeline.Config{Output: output, Dir: t.TempDir()}
	for _, r := range rounds {
		cfg.Rounds = append(cfg.Rounds, pipeline.Round{ID: r})
	}
	run := pipeline.NewRun(cfg, nil, nil)
	if err := pipeline.Put(run, "records", records); err != nil {
		t.Fatal(err)
	}
	if params == nil {
		params = Stage.Params().(*Params)
	}
	if err := Stage.Run(context.Background(), run, params); err != nil {
		t.Fatal(err)
	}
	return run
}

func get[T any](t *testing.T, run *pipeline.Run, name string) []T {
	t.Helper()
	rows, ok, err := pipeline.Get[T](run, name)
	if err != nil || !ok {
		t.Fatalf("table %s: ok=%v err=%v", name, ok, err)
	}
	return rows
}

// commit writes what a run produced as the committed output the next run reads.
func commit(t *testing.T, run *pipeline.Run, dir string) {
	t.Helper()
	if err := table.WriteFile(filepath.Join(dir, "records.parquet"), get[tables.Record](t, run, "records"), table.Meta{Table: "records"}); err != nil {
		t.Fatal(err)
	}
	if err := table.WriteFile(filepath.Join(dir, "works.parquet"), get[tables.Work](t, run, "works"), table.Meta{Table: "works"}); err != nil {
		t.Fatal(err)
	}
	if err := table.WriteFile(filepath.Join(dir, "duplicate_pairs.parquet"), get[tables.DuplicatePair](t, run, "duplicate_pairs"), table.Meta{Table: "duplicate_pairs"}); err != nil {
		t.Fatal(err)
	}
}

// TestCrossRoundStability: round 2 re-finds a round-1 work and adds a record
// that matches two round-1 works kept apart by their DOIs.
func TestCrossRoundStability(t *testing.T) {
	out := t.TempDir()
	round1 := []tables.Record{
		article("m1", "doi=10.1000/one"),
		article("e1", "db=Embase", "doi=10.1000/two"), // same bibliographic data, another DOI: kept apart
		rec("x1", "title=Housing first and recovery: a qualitative study of tenants", "authors=Doe, J.", "year=2018", "journal=Health Soc Care Community", "volume=26", "pages=10-19"),
		// Sorted by record id "zz1" comes last, but it is the round-1 record,
		// so the work keeps the id it was issued with.
		rec("zz1", "title=Recovery colleges: a survey of students", "authors=Roe, R.", "year=2017", "journal=J Ment Health", "volume=9", "pages=1-8"),
	}
	run1 := runStage(t, out, []string{"r1"}, round1, nil)
	works1 := get[tables.Work](t, run1, "works")
	ids1 := map[string]string{} // record → work after round 1
	for _, r := range get[tables.Record](t, run1, "records") {
		ids1[r.RecordID] = r.WorkID
	}
	if ids1["m1"] == ids1["e1"] {
		t.Fatalf("m1 and e1 merged in round 1 despite different DOIs")
	}
	commit(t, run1, out)

	round2 := append(slices.Clone(round1),
		rec("x2", "round=r2", "db=Scopus", "title=HOUSING FIRST AND RECOVERY - A QUALITATIVE STUDY OF TENANTS", "authors=Doe J", "year=2018", "journal=Health and Social Care in the Community", "volume=26", "pages=10-9"),
		rec("aa2", "round=r2", "db=Scopus", "title=Recovery colleges: a survey of students.", "authors=Roe R", "year=2017", "journal=Journal of Mental Health", "volume=9", "pages=1-8"),
		article("b2", "round=r2", "db=Scopus"), // no DOI: matches both m1 and e1
	)
	run2 := runStage(t, out, []string{"r1", "r2"}, round2, nil)
	ids2 := map[string]string{}
	for _, r := range get[tables.Record](t, run2, "records") {
		ids2[r.RecordID] = r.WorkID
	}
	for _, id := range []string{"m1", "e1", "x1", "zz1"} {
		if ids2[id] != ids1[id] {
			t.Errorf("round-1 record %s moved from work %s to %s", id, ids1[id], ids2[id])
		}
	}
	if ids2["x2"] != ids1["x1"] {
		t.Errorf("x2 in work %s, want round-1 work %s", ids2["x2"], ids1["x1"])
	}
	if ids2["aa2"] != ids1["zz1"] {
		t.Errorf("aa2 in work %s, want round-1 work %s (not a new id from the smaller record id)", ids2["aa2"], ids1["zz1"])
	}
	works2 := get[tables.Work](t, run2, "works")
	if len(works2) != len(works1) {
		t.Errorf("%d works after round 2, want the %d of round 1", len(works2), len(works1))
	}
	for _, w := range works2 {
		if !w.PreviouslyIssued {
			t.Errorf("work %s not marked previously issued", w.WorkID)
		}
		if w.WorkID == ids1["x1"] {
			if w.FirstRound != "r1" || !slices.Equal(w.AlreadySeenRecordIDs, []string{"x2"}) || !slices.Equal(w.Rounds, []string{"r1", "r2"}) {
				t.Errorf("work %s: first round %s, already seen %v, rounds %v; want r1, [x2], [r1 r2]", w.WorkID, w.FirstRound, w.AlreadySeenRecordIDs, w.Rounds)
			}
		}
	}
	bridges := get[tables.WorkBridge](t, run2, "work_bridges")
	want := []string{ids1["e1"], ids1["m1"]}
	slices.Sort(want)
	if len(bridges) != 1 || bridges[0].RecordID != "b2" || !slices.Equal(bridges[0].BridgedWorkIDs, want) {
		t.Errorf("bridges %+v, want b2 bridging %v", bridges, want)
	}
	warned := false
	for _, w := range run2.WarningList() {
		if w.Kind == "work_bridges" {
			warned = w.Count == 1 && strings.Contains(w.Message, "1 new record(s)") &&
				strings.Contains(w.Message, "b2 matches "+want[0]+", "+want[1])
		}
	}
	if !warned {
		t.Errorf("no work_bridges warning naming b2 and its works in %+v", run2.WarningList())
	}
}

// TestDecisionsFile: the team marks the review pair same; the next run
// merges it, and a malformed decision names file and line.
func TestDecisionsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "decisions.csv")
	recs := []tables.Record{
		rec("a", "title=Effect of peer support workers on engagement in community mental health care", "authors=Smith, J."),
		rec("b", "title=Effect of peer support workers on engagement in community mental health care", "authors=Smith, J."),
	}
	run1 := runStage(t, "", nil, recs, nil)
	if q := get[tables.ReviewItem](t, run1, "review_queue"); len(q) != 1 {
		t.Fatalf("review queue %+v, want one pair", q)
	}
	if err := os.WriteFile(path, []byte("record_a,record_b,decision,note\nb,a,Same,checked full text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	params := Stage.Params().(*Params)
	params.Decisions = path
	run2 := runStage(t, "", nil, recs, params)
	rs := get[tables.Record](t, run2, "records")
	if rs[0].WorkID != rs[1].WorkID {
		t.Errorf("decided same, but works %s and %s", rs[0].WorkID, rs[1].WorkID)
	}
	if q := get[tables.ReviewItem](t, run2, "review_queue"); len(q) != 0 {
		t.Errorf("review queue still has %+v", q)
	}
	if err := os.WriteFile(path, []byte("record_a,record_b,decision\na,b,maybe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readDecisions(path)
	if err == nil || !strings.Contains(err.Error(), "decisions.csv:2") || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("error %v, want file:line and the bad value", err)
	}
}

// TestStudyLinksAreSafe: a preprint whose authors overlap two articles of
// one title by two teams links to the first it meets; the second link
// would make the two teams' articles one study, so it goes to review.
func TestStudyLinksAreSafe(t *testing.T) {
	title := "title=Peer support for people leaving prison: a randomised trial"
	recs := []tables.Record{
		rec("p", title, "authors=Smith, J.;Jones, K.;Lee, M.", "year=2019", "journal=medRxiv", "doi=10.1101/2019.01.01.123456"),
		rec("x", title, "authors=Smith, J.;Brown, A.", "year=2019", "journal=Lancet Psychiatry", "volume=6", "pages=101-109"),
		rec("y", title, "authors=Jones, K.;Lee, M.;White, R.", "year=2020", "journal=BMJ Open", "volume=10", "pages=e034567"),
	}
	res := runDedupe(t, recs, options{})
	w := workOf(res)
	study := map[string]string{}
	for _, wk := range res.works {
		study[wk.WorkID] = wk.StudyID
	}
	if study[w["x"]] == study[w["y"]] {
		t.Fatalf("articles by two teams in one study %s", study[w["x"]])
	}
	if study[w["p"]] != study[w["x"]] {
		t.Errorf("preprint in study %s, article x in %s: the first link stands", study[w["p"]], study[w["x"]])
	}
	py := pairRow(res, "p", "y")
	if py == nil || py.Decision != review || !strings.Contains(py.Note, "not linked: x and y are different studies: their authors conflict") {
		t.Errorf("pair p–y %+v, want review, not linked because x and y differ", py)
	}
	if xy := pairRow(res, "x", "y"); xy == nil || xy.Decision != distinct || xy.FirstAuthor != "conflict" {
		t.Errorf("pair x–y %+v, want distinct, first authors in conflict", xy)
	}
}

// TestStudyDecisions: the team links two reports the rules would not
// (same_study), unlinks a preprint from an article (different_study), and
// keeps two records the rules would merge apart but in one study
// (same_study). The decisions hold on the next run over the committed
// output, show in duplicate_pairs, and a same_study contradicting a
// different_study is not applied, with a warning.
func TestStudyDecisions(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "decisions.csv")
	recs := []tables.Record{
		// a and b: protocol and results, titles too far apart for any rule.
		rec("a", "title=Peer navigators for people with serious mental illness: protocol for a cluster trial", "authors=Kelly, E.;Fulginiti, A.", "year=2016", "journal=Trials", "volume=17", "pages=333"),
		rec("b", "title=Effect of peer navigators on physical health of people with serious mental illness", "authors=Kelly, E.;Fulginiti, A.", "year=2019", "journal=Psychiatr Serv", "volume=70", "pages=60-67"),
		// c and d: a preprint and an article the rules link.
		article("c", "journal=medRxiv", "doi=10.1101/2019.01.01.123456", "volume=", "issue=", "pages=", "year=2018"),
		article("d", "doi=10.1192/bjp.2019.1"),
		// e and f: one report by the rules; the team says two reports of one study.
		rec("e", "title=Housing first and recovery: a qualitative study of tenants", "authors=Doe, J.", "year=2018", "journal=Health Soc Care Community", "volume=26", "pages=10-19"),
		rec("f", "title=Housing first and recovery: a qualitative study of tenants", "authors=Doe J", "year=2018", "journal=Health and Social Care in the Community", "volume=26", "pages=10-9", "db=Scopus"),
		// g: a third report; a–g same_study contradicts b–g different_study (a and b are one study).
		rec("g", "title=Physical health screening by peer staff", "authors=Kelly, E.", "year=2020", "journal=Community Ment Health J", "volume=56", "pages=1-8"),
	}
	csv := "record_a,record_b,decision\na,b,same_study\nc,d,Different study\ne,f,same_study\na,g,same_study\nb,g,different_study\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	params := Stage.Params().(*Params)
	params.Decisions = path
	check := func(run *pipeline.Run) {
		t.Helper()
		works := get[tables.Work](t, run, "works")
		workOf, study := map[string]string{}, map[string]string{}
		for _, wk := range works {
			study[wk.WorkID] = wk.StudyID
			for _, r := range wk.RecordIDs {
				workOf[r] = wk.WorkID
			}
		}
		st := func(id string) string { return study[workOf[id]] }
		if st("a") != st("b") || workOf["a"] == workOf["b"] {
			t.Errorf("a, b: works %s %s, studies %s %s; want two works of one study", workOf["a"], workOf["b"], st("a"), st("b"))
		}
		if st("c") == st("d") {
			t.Errorf("c, d decided different_study but share study %s", st("c"))
		}
		if workOf["e"] == workOf["f"] || st("e") != st("f") {
			t.Errorf("e, f: works %s %s, studies %s %s; want two works of one study", workOf["e"], workOf["f"], st("e"), st("f"))
		}
		if st("g") == st("b") {
			t.Errorf("g joined b's study despite b,g different_study")
		}
		rule := map[[2]string]string{}
		for _, p := range get[tables.DuplicatePair](t, run, "duplicate_pairs") {
			rule[[2]string{p.RecordA, p.RecordB}] = p.Decision + " " + p.Rule + " " + p.Note
		}
		for pair, want := range map[[2]string]string{
			{"a", "b"}: "related human:same_study ",
			{"c", "d"}: "distinct human:different_study ",
			{"e", "f"}: "related human:same_study ",
			{"b", "g"}: "distinct human:different_study ",
		} {
			if rule[pair] != want {
				t.Errorf("pair %v: %q, want %q", pair, rule[pair], want)
			}
		}
		if r := rule[[2]string{"a", "g"}]; r != "review human:same_study not linked: b and g are different studies: decided different_study" {
			t.Errorf("pair a,g: %q, want review, not linked", r)
		}
		warned := false
		for _, w := range run.Warnings() {
			warned = warned || strings.Contains(w, "same_study decision for a, g not applied")
		}
		if !warned {
			t.Errorf("no warning for the contradicted same_study; warnings %v", run.Warnings())
		}
	}
	run1 := runStage(t, out, nil, recs, params)
	check(run1)
	commit(t, run1, out)
	run2 := runStage(t, out, nil, recs, params)
	check(run2)
}

// Many bridges are one warning naming five, with the count of the rest.
func TestBridgesWarning(t *testing.T) {
	if got := bridgesWarning(nil); got != "" {
		t.Errorf("no bridge: %q", got)
	}
	var bridges []tables.WorkBridge
	for i := range 7 {
		bridges = append(bridges, tables.WorkBridge{RecordID: "r" + strconv.Itoa(i), BridgedWorkIDs: []string{"W-a", "W-b"}})
	}
	got := bridgesWarning(bridges)
	want := "dedupe: 7 new record(s) match records of two or more earlier works, which are kept apart (see work_bridges): " +
		"r0 matches W-a, W-b; r1 matches W-a, W-b; r2 matches W-a, W-b; r3 matches W-a, W-b; r4 matches W-a, W-b; and 2 more"
	if got != want {
		t.Errorf("warning\n%q\nwant\n%q", got, want)
	}
}
