package synthgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The hard profile's text: titles and abstracts built from the phrases of
// real health and social-science titles, so that unrelated titles share
// words and lengths the way real ones do (median about 110 characters,
// a tail past 250), plus pseudo-words for the rare topic terms.

var (
	wAdjectives = strings.Fields(`clinical chronic acute early long-term short-term primary secondary
		community-based school-based digital mobile peer-led nurse-led multidisciplinary integrated personalised
		structured brief intensive standard usual routine novel comparative national regional rural urban older
		young low-income high-risk severe mild moderate recurrent persistent postoperative perioperative prenatal
		postnatal maternal paediatric pediatric adolescent cognitive behavioural behavioral psychological social
		economic environmental genetic molecular metabolic cardiovascular respiratory renal hepatic neurological
		psychiatric mental physical functional real-world randomised randomized prospective retrospective
		multicentre multicenter population-based hospital-based evidence-based patient-reported self-reported
		web-based culturally-adapted trauma-informed family-centred interprofessional outpatient inpatient`)
	wNouns = strings.Fields(`outcomes care treatment risk health quality function therapy intervention
		interventions effects impact association prevalence management use symptoms mortality survival adherence
		access support services programmes programs model evidence factors barriers facilitators experiences
		perspectives implementation cost-effectiveness efficacy effectiveness safety screening diagnosis prognosis
		prevention exposure response recovery performance burden trends incidence determinants predictors
		biomarkers expression inflammation resistance infection injury pain stress anxiety sleep obesity diet
		exercise smoking alcohol cannabis opioids gambling homelessness employment education engagement
		participation communication decision-making self-management wellbeing resilience stigma discrimination
		inequalities policy guidelines practice workload training competence attitudes knowledge beliefs
		satisfaction utilisation readmission discharge rehabilitation complications transplantation vaccination
		immunotherapy chemotherapy radiotherapy imaging telehealth telemedicine apps technology coordination
		continuity navigation outreach referral retention uptake costs trajectories networks disparities`)
	wPopulations = strings.Fields(`adults children adolescents women men patients nurses physicians caregivers
		families students veterans refugees migrants workers inmates pregnant-women older-adults infants
		survivors smokers drinkers gamblers clinicians pharmacists midwives residents`)
	wSettings = []string{"primary care", "intensive care units", "emergency departments", "nursing homes",
		"low- and middle-income countries", "rural communities", "secondary schools", "prisons", "general practice",
		"community pharmacies", "acute hospitals", "sub-Saharan Africa", "the United States", "England",
		"Australia", "Canada", "China", "Brazil", "India", "Scandinavia", "harm reduction services",
		"supervised consumption sites", "mental health services", "urban slums", "long-term care facilities"}
	wDiseases = []string{"type 2 diabetes", "heart failure", "stroke", "COVID-19", "HIV", "breast cancer",
		"schizophrenia", "depression", "chronic kidney disease", "asthma", "hepatitis C", "opioid use disorder",
		"dementia", "multiple sclerosis", "rheumatoid arthritis", "atrial fibrillation", "sepsis", "tuberculosis",
		"colorectal cancer", "chronic obstructive pulmonary disease", "hypertension", "bipolar disorder",
		"autism spectrum disorder", "Parkinson's disease", "osteoarthritis", "low back pain", "psoriasis",
		"gambling disorder", "alcohol use disorder", "post-traumatic stress disorder", "malaria", "obesity",
		"acute kidney injury", "non-small cell lung cancer", "prostate cancer", "cystic fibrosis", "epilepsy",
		"anorexia nervosa", "gestational diabetes", "pre-eclampsia", "Crohn's disease", "influenza"}
	wInterventions = []string{"exercise training", "mindfulness-based stress reduction", "peer support",
		"telehealth follow-up", "cognitive behavioural therapy", "vitamin D supplementation", "naloxone distribution",
		"motivational interviewing", "case management", "financial incentives", "text message reminders",
		"a smartphone application", "nurse-led clinics", "pharmacist-led medication review", "housing first",
		"supervised injection", "early mobilisation", "physiotherapy", "acupuncture", "yoga", "brief alcohol interventions",
		"opioid agonist treatment", "school-based prevention", "collaborative care", "shared decision-making",
		"high-intensity interval training", "dietary counselling", "smoking cessation support", "home visits",
		"community health workers", "video consultations", "transitional care", "self-help groups"}
	wOutcomeNouns = []string{"mortality", "quality of life", "hospital readmission", "glycaemic control",
		"depressive symptoms", "medication adherence", "functional recovery", "pain intensity", "length of stay",
		"cognitive decline", "relapse", "overdose deaths", "treatment retention", "return to work", "falls",
		"blood pressure", "weight loss", "health-related quality of life", "anxiety symptoms", "viral suppression",
		"healthcare costs", "patient satisfaction", "suicide attempts", "sleep quality", "frailty", "loneliness"}
	wDesigns = []string{"a randomized controlled trial", "a randomised controlled trial", "a systematic review and meta-analysis",
		"a systematic review", "a cross-sectional study", "a qualitative study", "a prospective cohort study",
		"a retrospective cohort study", "a realist review", "a scoping review", "a pilot study",
		"protocol for a randomised controlled trial", "a multicentre study", "a population-based study",
		"a mixed-methods study", "a case report", "a narrative review", "study protocol", "a realist evaluation",
		"a cluster randomised trial", "a nationwide registry study", "a secondary analysis", "a Delphi study",
		"a stepped-wedge cluster randomised trial", "a network meta-analysis", "an umbrella review"}
	wLeads = []string{"Effects of", "Effect of", "Impact of", "Association between", "Associations of",
		"Prevalence of", "Predictors of", "Determinants of", "Trends in", "Barriers and facilitators to",
		"Experiences of", "Cost-effectiveness of", "Efficacy and safety of", "Long-term outcomes of",
		"Development and validation of", "Implementation of", "Evaluation of", "Factors associated with",
		"Patterns of", "Understanding", "Exploring", "Assessing", "Measuring", "Improving", "Reducing"}
	wPreps = []string{"in", "among", "for", "with", "after", "during", "in", "among", "across", "within", "following"}
	wVerbs = []string{"assess", "evaluate", "examine", "explore", "describe", "compare", "estimate", "determine",
		"investigate", "identify", "quantify", "characterise"}
	wSurnames = strings.Fields(`Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Kim Lee Park Nguyen Tran Smith
		Johnson Williams Brown Jones García Martínez Rodríguez López González Müller Schmidt Schneider Fischer
		Weber Meyer Wagner Becker Rossi Russo Ferrari Esposito Bianchi Silva Santos Oliveira Souza Pereira Costa
		Martin Bernard Dubois Thomas Robert Richard Petit Durand Jansen Visser Smit Bakker Andersson Johansson
		Karlsson Nilsson Larsen Hansen Nielsen Jensen Kowalski Nowak Wiśniewski Novák Horváth Ivanov Petrov
		Yilmaz Kaya Demir Sato Suzuki Takahashi Tanaka Watanabe Singh Kumar Sharma Patel Gupta Khan Ahmed Ali
		Hassan Mohamed Cohen Levi O'Brien O'Connor McDonald MacLeod Murphy Kelly Walsh Taylor Davies Evans
		Wilson Thompson Roberts Anderson Moore Jackson White Harris Clark Lewis Robinson Walker Young Allen Wright
		Scott Green Baker Adams Nelson Hill Campbell Mitchell Carter Phillips Turner Parker Collins Edwards
		Stewart Morris Rogers Reed Cook Morgan Bell Cooper Richardson Cox Howard Ward Peterson Gray James Watson
		Brooks Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson
		Hughes Flores Washington Butler Simmons Foster Gonzales Bryant Alexander Russell Griffin Hayes Myers Ford
		Hamilton Graham Sullivan Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson
		Åslund Østergaard Søndergaard Çelik Şahin Ñúñez Lindqvist Öztürk Dvořák Jürgensen`)
	wSurnameParticles = []string{"van der", "van den", "van", "de", "de la", "da", "dos", "von", "Le", "Di", "Mac"}
	wGivenNames       = strings.Fields(`James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth
		David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony
		Margaret Mark Sandra Paul Ashley Steven Emily Andrew Michelle Kenneth Amanda Joshua Melissa Kevin Deborah
		Brian Stephanie George Rebecca Timothy Laura Jason Helen Jeffrey Anna Ryan Emma Jacob Olivia Gary Sophie
		Wei Jing Hui Xiaoming Yan Lei Min-Jun Ji-Woo Hiroshi Yuki Priya Rahul Ananya Mohammed Fatima Aisha Omar
		Ahmet Elif Jean-Pierre Marie-Claire François Hélène Jürgen Zoë Søren Björn Åsa Mateus João Inês José
		Javier Lucía Sergio Carmen Giulia Luca Francesca Matteo Katarzyna Piotr Jan Pieter Anouk Lars Ingrid
		Olga Dmitri Sipho Thandiwe Chinedu Ngozi Kwame Ama Siobhán Niamh Eoin Tadhg Ewa Tomasz Ilse Henrik`)
	wColumnTitles = []string{"Editor's Comments", "Remarks from the Editor", "Gateways to Clinical Trials",
		"From the Editor", "President's Message", "Letter from the Editor", "In This Issue", "Highlights of This Issue",
		"News in Brief", "Editor's Note", "Message from the Chair", "Clinical Pearls", "Research Roundup",
		"Ethics Corner", "Nursing Practice Update", "Pharmacy Update", "The Editor's Desk", "Commentary",
		"Policy Watch", "Notes from the Field", "What's New in Practice", "Journal Watch", "Images in Medicine",
		"Quality Improvement Corner", "Continuing Education Quiz"}
	wGenericTitles = []string{"Editorial", "Introduction", "Foreword", "Preface", "Reply", "Response",
		"Letter to the editor", "Book review", "In memoriam", "Corrigendum", "Acknowledgement of reviewers",
		"Reviewer acknowledgement", "Obituary", "Guest editorial", "Abstracts", "Conference highlights"}
	wFieldWords = strings.Fields(`Nursing Psychiatry Addiction Epidemiology Cardiology Oncology Pediatrics
		Gerontology Rehabilitation Psychology Pharmacology Neurology Gastroenterology Nephrology Hepatology
		Dermatology Rheumatology Endocrinology Obstetrics Gynecology Midwifery Anesthesia Surgery Radiology
		Pathology Immunology Microbiology Virology Nutrition Dietetics Dentistry Ophthalmology Otolaryngology
		Urology Orthopaedics Physiotherapy Informatics Bioethics Sociology Criminology Economics Education
		Management Policy Health Medicine Science Sciences Care Practice Research Studies Therapy Therapeutics
		Behavior Behaviour Welfare Development Prevention Safety Quality Evidence Communication Technology`)
	wJournalAbbrev = map[string]string{"Journal": "J", "International": "Int", "Research": "Res", "Medicine": "Med",
		"Clinical": "Clin", "Nursing": "Nurs", "Studies": "Stud", "Review": "Rev", "Reviews": "Rev", "American": "Am",
		"British": "Br", "European": "Eur", "Annals": "Ann", "Archives": "Arch", "Science": "Sci", "Sciences": "Sci",
		"Therapy": "Ther", "Therapeutics": "Ther", "Behavior": "Behav", "Behaviour": "Behav", "Addiction": "Addict",
		"Psychiatry": "Psychiatry", "Health": "Health", "Public": "Public", "Care": "Care", "Practice": "Pract",
		"Psychology": "Psychol", "Epidemiology": "Epidemiol", "Pediatrics": "Pediatr", "Cardiology": "Cardiol",
		"Oncology": "Oncol", "Surgery": "Surg", "Education": "Educ", "Management": "Manag", "Policy": "Policy",
		"Prevention": "Prev", "Quality": "Qual", "Safety": "Saf", "Evidence": "Evid", "Technology": "Technol",
		"Development": "Dev", "Communication": "Commun", "Welfare": "Welf", "Advances": "Adv", "Current": "Curr",
		"Society": "Soc", "Social": "Soc", "Canadian": "Can", "Australian": "Aust", "Scandinavian": "Scand",
		"Community": "Community", "Mental": "Ment", "Global": "Glob", "Nutrition": "Nutr", "Rehabilitation": "Rehabil",
		"Gerontology": "Gerontol", "Neurology": "Neurol", "Pharmacology": "Pharmacol", "Informatics": "Inform",
		"Economics": "Econ", "Sociology": "Sociol", "Criminology": "Criminol", "Immunology": "Immunol",
		"Microbiology": "Microbiol", "Virology": "Virol", "Dentistry": "Dent", "Radiology": "Radiol",
		"Pathology": "Pathol", "Anesthesia": "Anesth", "Midwifery": "Midwifery", "Obstetrics": "Obstet",
		"Gynecology": "Gynecol", "Urology": "Urol", "Dermatology": "Dermatol", "Physiotherapy": "Physiother",
		"Bioethics": "Bioeth", "Dietetics": "Diet", "Endocrinology": "Endocrinol", "Nephrology": "Nephrol",
		"Hepatology": "Hepatol", "Rheumatology": "Rheumatol", "Gastroenterology": "Gastroenterol",
		"Ophthalmology": "Ophthalmol", "Otolaryngology": "Otolaryngol", "Orthopaedics": "Orthop", "Medical": "Med",
		"Open": "Open", "Reports": "Rep", "Letters": "Lett", "Proceedings": "Proc", "Bulletin": "Bull", "Drug": "Drug"}
	wConferences = []struct{ full, acronym string }{
		{"Americas Conference on Information Systems", "AMCIS"},
		{"International Conference on Information Systems", "ICIS"},
		{"Hawaii International Conference on System Sciences", "HICSS"},
		{"European Conference on Information Systems", "ECIS"},
		{"Pacific Asia Conference on Information Systems", "PACIS"},
		{"Australasian Conference on Information Systems", "ACIS"},
		{"Mediterranean Conference on Information Systems", "MCIS"},
		{"Wirtschaftsinformatik Conference", "WI"},
		{"International Conference on Human-Computer Interaction", "HCII"},
		{"Conference on Human Factors in Computing Systems", "CHI"},
		{"International Conference on Health Informatics", "HEALTHINF"},
		{"AMIA Annual Symposium", "AMIA"},
		{"International Conference on Software Engineering", "ICSE"},
		{"European Conference on Technology Enhanced Learning", "EC-TEL"},
	}
	// Languages of translated articles: the MEDLINE language code, the
	// language's English name, and syllables that make its words look the part.
	wLanguages = []struct{ code, name, ending string }{
		{"ger", "German", "ung"}, {"spa", "Spanish", "ción"}, {"fre", "French", "ité"},
		{"chi", "Chinese", ""}, {"jpn", "Japanese", ""}, {"por", "Portuguese", "ção"},
		{"ita", "Italian", "zione"}, {"pol", "Polish", "ość"}, {"rus", "Russian", ""}, {"dut", "Dutch", "heid"},
	}
	wStopwords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "and": true, "in": true,
		"on": true, "for": true, "with": true, "to": true, "from": true, "among": true, "after": true, "by": true,
		"at": true, "or": true, "vs": true, "versus": true, "during": true, "across": true, "within": true,
		"following": true, "between": true, "into": true}
)

// synonyms are the word swaps two databases' translators make when they
// render one foreign title in English.
var synonyms = map[string]string{"effects": "influence", "effect": "influence", "impact": "effect", "patients": "subjects",
	"outcomes": "results", "treatment": "therapy", "therapy": "treatment", "study": "investigation", "new": "novel",
	"novel": "new", "use": "application", "assessment": "evaluation", "evaluation": "assessment", "children": "paediatric patients",
	"older": "elderly", "management": "treatment", "risk": "hazard", "care": "management", "analysis": "study",
	"among": "in", "prevalence": "frequency", "association": "relationship", "symptoms": "manifestations"}

type textGen struct {
	rng      *rand.Rand
	topic    []string // pseudo-words for rare topic terms and drug names
	topicZ   *rand.Zipf
	surnames []string // pseudo surnames, beside the real ones
	surZ     *rand.Zipf
	realSurZ *rand.Zipf
}

func newTextGen(rng *rand.Rand) *textGen {
	t := &textGen{rng: rng}
	seen := map[string]bool{}
	for len(t.topic) < 8000 {
		w := pseudoWord(rng, 2+rng.IntN(3))
		if !seen[w] {
			seen[w] = true
			t.topic = append(t.topic, w)
		}
	}
	for len(t.surnames) < 60000 {
		s := pseudoWord(rng, 1+rng.IntN(3))
		if !seen[s] {
			seen[s] = true
			t.surnames = append(t.surnames, capitalise(s))
		}
	}
	t.topicZ = rand.NewZipf(rng, 1.1, 30, uint64(len(t.topic)-1))
	t.surZ = rand.NewZipf(rng, 1.05, 80, uint64(len(t.surnames)-1))
	t.realSurZ = rand.NewZipf(rng, 1.2, 3, uint64(len(wSurnames)-1))
	return t
}

func pseudoWord(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(syllables[rng.IntN(len(syllables))])
	}
	return b.String()
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func (t *textGen) pick(list []string) string { return list[t.rng.IntN(len(list))] }
func (t *textGen) chance(p float64) bool     { return t.rng.Float64() < p }

// lognormal draws a length with the given median and spread, within [lo, hi].
func (t *textGen) lognormal(median, sigma float64, lo, hi int) int {
	n := int(median * math.Exp(sigma*t.rng.NormFloat64()))
	return max(lo, min(hi, n))
}

func (t *textGen) topicWord() string { return t.topic[t.topicZ.Uint64()] }

func (t *textGen) disease() string {
	if t.chance(0.7) {
		return t.pick(wDiseases)
	}
	return t.topicWord() + t.pick([]string{"itis", "osis", "oma", " syndrome", " disease", " infection", "aemia"})
}

func (t *textGen) intervention() string {
	if t.chance(0.7) {
		return t.pick(wInterventions)
	}
	return t.topicWord() + t.pick([]string{"mab", "tinib", "pril", "olol", "statin", "vir", "zole", "parin"})
}

func (t *textGen) population() string {
	p := strings.ReplaceAll(t.pick(wPopulations), "-", " ")
	switch t.rng.IntN(5) {
	case 0:
		return p + " with " + t.disease()
	case 1:
		return p + " in " + t.pick(wSettings)
	case 2:
		return t.pick(wAdjectives) + " " + p
	default:
		return p
	}
}

func (t *textGen) nounPhrase() string {
	switch t.rng.IntN(6) {
	case 0:
		return t.pick(wAdjectives) + " " + t.pick(wNouns)
	case 1:
		return t.pick(wNouns) + " of " + t.disease()
	case 2:
		return t.intervention()
	case 3:
		return t.pick(wOutcomeNouns)
	case 4:
		return t.topicWord() + " " + t.pick(wNouns)
	default:
		return t.disease()
	}
}

// title builds a true title of about target characters, sentence case,
// without a final full stop.
func (t *textGen) title(target int) string {
	var b strings.Builder
	switch t.rng.IntN(9) {
	case 0:
		fmt.Fprintf(&b, "%s %s on %s %s %s", t.pick(wLeads), t.intervention(), t.pick(wOutcomeNouns), t.pick(wPreps), t.population())
	case 1:
		fmt.Fprintf(&b, "%s %s and %s %s %s", t.pick(wLeads), t.nounPhrase(), t.nounPhrase(), t.pick(wPreps), t.population())
	case 2:
		fmt.Fprintf(&b, "%s for %s %s %s", capitalise(t.intervention()), t.disease(), t.pick(wPreps), t.population())
	case 3:
		fmt.Fprintf(&b, "Does %s improve %s %s %s?", t.intervention(), t.pick(wOutcomeNouns), t.pick(wPreps), t.population())
	case 4:
		fmt.Fprintf(&b, "%s %s %s %s", capitalise(t.nounPhrase()), t.pick(wPreps), t.population(), t.pick([]string{"", " in " + t.pick(wSettings)}))
	case 5:
		fmt.Fprintf(&b, "%s %s: %s", capitalise(t.pick(wAdjectives)), t.pick(wNouns), t.nounPhrase())
	case 6:
		fmt.Fprintf(&b, "%s %s %s %s %d-%d", t.pick(wLeads), t.disease(), t.pick(wPreps), t.population(), 1995+t.rng.IntN(20), 2015+t.rng.IntN(9))
	case 7:
		fmt.Fprintf(&b, "%s %s of %s in %s", t.pick(wLeads), t.pick(wNouns), t.nounPhrase(), t.pick(wSettings))
	default:
		fmt.Fprintf(&b, "%s %s %s %s", capitalise(t.topicWord()), t.pick(wNouns), t.pick(wPreps), t.nounPhrase())
	}
	design := ""
	if t.chance(0.45) {
		design = ": " + t.pick(wDesigns)
	} else if t.chance(0.08) {
		w := t.topicWord()
		design = ": results from the " + strings.ToUpper(w[:min(len(w), 3+t.rng.IntN(4))]) + " trial"
	}
	s := strings.TrimSuffix(b.String(), " ")
	for len(s)+len(design) < target-8 && !strings.HasSuffix(s, "?") {
		switch t.rng.IntN(4) {
		case 0:
			s += " and " + t.nounPhrase()
		case 1:
			s += ", " + t.nounPhrase() + " and " + t.nounPhrase()
		default:
			s += " " + t.pick(wPreps) + " " + t.nounPhrase()
		}
	}
	s = strings.ReplaceAll(s, "  ", " ")
	return s + design
}

// titleCase capitalises every word but short function words, as some
// publishers print titles.
func titleCase(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if i > 0 && wStopwords[strings.ToLower(w)] {
			continue
		}
		words[i] = capitalise(w)
	}
	return strings.Join(words, " ")
}

// foreignTitle renders a title "in" another language: pseudo-words of
// similar length with the language's endings. The words are made up, but
// what matters to a de-duplicator is there: nothing in common with the
// English title but length.
func (t *textGen) foreignTitle(english string, lang int) string {
	words := strings.Fields(english)
	out := make([]string, 0, len(words))
	ending := wLanguages[lang].ending
	for _, w := range words {
		if wStopwords[strings.ToLower(w)] {
			out = append(out, t.pick([]string{"de", "la", "et", "und", "y", "in", "per", "del", "der", "i"}))
			continue
		}
		f := pseudoWord(t.rng, 1+len(w)/4)
		if ending != "" && t.chance(0.3) {
			f += ending
		}
		out = append(out, f)
	}
	out[0] = capitalise(out[0])
	return strings.Join(out, " ")
}

// otherRendering is a second English rendering of a translated title: a
// few words swapped for synonyms, perhaps the word order of a phrase.
func (t *textGen) otherRendering(title string) string {
	words := strings.Split(title, " ")
	changed := 0
	for i, w := range words {
		if s, ok := synonyms[strings.ToLower(w)]; ok && (changed < 3 && t.chance(0.6)) {
			if i == 0 {
				s = capitalise(s)
			}
			words[i] = s
			changed++
		}
	}
	if changed == 0 && len(words) > 3 {
		k := 1 + t.rng.IntN(len(words)-2)
		words[k] = t.pick([]string{"novel", "the", "clinical", "new", "a"})
	}
	return strings.Join(words, " ")
}

// abstract builds an abstract of about target bytes; structured ones have
// labelled sections (BACKGROUND: … METHODS: … RESULTS: … CONCLUSIONS: …).
func (t *textGen) abstract(target int, structured bool, topic string) string {
	labels := []string{"BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"}
	if t.chance(0.3) {
		labels = []string{"OBJECTIVE", "DESIGN, SETTING, AND PARTICIPANTS", "MAIN OUTCOMES AND MEASURES", "RESULTS", "CONCLUSIONS AND RELEVANCE"}
	} else if t.chance(0.3) {
		labels = []string{"INTRODUCTION", "METHODS", "RESULTS", "CONCLUSION"}
	}
	shares := make([]float64, len(labels))
	for i := range shares {
		shares[i] = 1 / float64(len(labels))
	}
	var b strings.Builder
	for i, label := range labels {
		if structured {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(label)
			b.WriteString(": ")
		}
		section := int(float64(target) * shares[i])
		start := b.Len()
		for b.Len()-start < section {
			if b.Len() > start {
				b.WriteByte(' ')
			}
			b.WriteString(t.sentence(label, topic))
		}
		if !structured && i < len(labels)-1 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func (t *textGen) sentence(section, topic string) string {
	n := func() string { return strconv.Itoa(20 + t.rng.IntN(4000)) }
	pct := func() string { return fmt.Sprintf("%.1f", 1+t.rng.Float64()*90) }
	ci := func() string {
		x := 0.5 + t.rng.Float64()*2
		return fmt.Sprintf("%.2f, 95%% CI %.2f-%.2f", x, x*0.7, x*1.4)
	}
	switch {
	case strings.HasPrefix(section, "BACK"), strings.HasPrefix(section, "INTRO"), strings.HasPrefix(section, "OBJ"):
		switch t.rng.IntN(4) {
		case 0:
			return fmt.Sprintf("%s is a %s cause of %s %s %s.", capitalise(t.disease()), t.pick([]string{"major", "common", "growing", "leading"}), t.pick(wOutcomeNouns), t.pick(wPreps), t.population())
		case 1:
			return fmt.Sprintf("Little is known about %s %s %s.", topic, t.pick(wPreps), t.population())
		case 2:
			return fmt.Sprintf("We aimed to %s %s %s %s.", t.pick(wVerbs), t.nounPhrase(), t.pick(wPreps), t.population())
		default:
			return fmt.Sprintf("%s may %s %s, but the evidence for %s is %s.", capitalise(t.intervention()), t.pick([]string{"reduce", "improve", "affect", "modify"}), t.pick(wOutcomeNouns), t.nounPhrase(), t.pick([]string{"limited", "inconsistent", "scarce", "mixed"}))
		}
	case strings.HasPrefix(section, "METH"), strings.HasPrefix(section, "DESIGN"):
		switch t.rng.IntN(4) {
		case 0:
			return fmt.Sprintf("We conducted %s of %s %s at %d sites in %s between %d and %d.", t.pick(wDesigns), n(), t.pick(wPopulations), 1+t.rng.IntN(40), t.pick(wSettings), 2000+t.rng.IntN(15), 2015+t.rng.IntN(9))
		case 1:
			return fmt.Sprintf("The primary outcome was %s at %d months; secondary outcomes included %s and %s.", t.pick(wOutcomeNouns), 3*(1+t.rng.IntN(8)), t.pick(wOutcomeNouns), t.nounPhrase())
		case 2:
			return fmt.Sprintf("Data were analysed with %s, adjusting for %s, %s and %s.", t.pick([]string{"multilevel logistic regression", "Cox proportional hazards models", "thematic analysis", "random-effects meta-analysis", "generalised estimating equations", "interrupted time series analysis"}), t.pick(wNouns), t.pick(wNouns), t.pick(wNouns))
		default:
			return fmt.Sprintf("Participants were randomly assigned to %s or %s (n = %s).", t.intervention(), t.pick([]string{"usual care", "waiting list", "placebo", "an attention control"}), n())
		}
	case strings.HasPrefix(section, "RES"), strings.HasPrefix(section, "MAIN"):
		switch t.rng.IntN(4) {
		case 0:
			return fmt.Sprintf("Of %s participants, %s (%s%%) %s %s.", n(), n(), pct(), t.pick([]string{"reported", "experienced", "completed", "received"}), t.nounPhrase())
		case 1:
			return fmt.Sprintf("%s was associated with %s %s (OR %s; p = 0.0%d).", capitalise(t.intervention()), t.pick([]string{"lower", "higher", "reduced", "improved"}), t.pick(wOutcomeNouns), ci(), 1+t.rng.IntN(9))
		case 2:
			return fmt.Sprintf("We found %s differences in %s between groups (HR %s).", t.pick([]string{"no significant", "significant", "small", "clinically important"}), t.pick(wOutcomeNouns), ci())
		default:
			return fmt.Sprintf("Themes included %s, %s and %s.", t.nounPhrase(), t.nounPhrase(), t.nounPhrase())
		}
	default:
		switch t.rng.IntN(3) {
		case 0:
			return fmt.Sprintf("%s %s %s %s %s.", capitalise(t.intervention()), t.pick([]string{"may improve", "did not reduce", "improved", "reduced"}), t.pick(wOutcomeNouns), t.pick(wPreps), t.population())
		case 1:
			return fmt.Sprintf("Further research should examine %s and %s %s %s.", topic, t.nounPhrase(), t.pick(wPreps), t.pick(wSettings))
		default:
			return fmt.Sprintf("These findings support %s for %s.", t.nounPhrase(), t.population())
		}
	}
}

// person draws an author: a real or made-up family name (Zipfian, so that
// common names make large blocks, as Wang, Li and Smith do), one or two
// given names.
type hardPerson struct {
	family string
	given  []string
}

func (t *textGen) person() hardPerson {
	var p hardPerson
	if t.chance(0.35) {
		p.family = wSurnames[t.realSurZ.Uint64()]
	} else {
		p.family = t.surnames[t.surZ.Uint64()]
		if t.chance(0.03) {
			p.family = t.pick(wSurnameParticles) + " " + p.family
		} else if t.chance(0.03) {
			p.family += "-" + t.surnames[t.rng.IntN(len(t.surnames))]
		}
	}
	p.given = []string{t.pick(wGivenNames)}
	if t.chance(0.4) {
		p.given = append(p.given, t.pick(wGivenNames))
	}
	return p
}

// initials are a person's initials: "JP" for Jean-Pierre Paul.
func (p hardPerson) initials(dots bool) string {
	var b strings.Builder
	for _, g := range p.given {
		for _, part := range strings.Split(g, "-") {
			r, _ := utf8.DecodeRuneInString(part)
			b.WriteRune(r)
			if dots {
				b.WriteByte('.')
			}
		}
	}
	return b.String()
}

// stripMarks drops the diacritics some databases lose: "Müller" → "Muller".
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 {
			b.WriteRune(r)
			continue
		}
		if a, ok := asciiFold[r]; ok {
			b.WriteString(a)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var asciiFold = map[rune]string{'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'Å': "A", 'Ä': "A",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'É': "E", 'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ó': "o", 'ò': "o",
	'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o", 'Ø': "O", 'Ö': "O", 'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'Ü': "U",
	'ñ': "n", 'Ñ': "N", 'ç': "c", 'Ç': "C", 'ś': "s", 'Ś': "S", 'ş': "s", 'Ş': "S", 'ř': "r", 'ž': "z", 'č': "c",
	'ł': "l", 'ß': "ss", 'ğ': "g", 'ı': "i", 'ę': "e", 'ą': "a", 'ć': "c", 'ń': "n", 'ź': "z", 'ż': "z", 'Ó': "O"}
