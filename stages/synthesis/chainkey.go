package synthesis

import (
	"fmt"
	"slices"
	"strings"
)

// chainKey identifies a chain by code indices (-1: slot absent) and polarity.
type chainKey struct {
	context, mechanism, outcome, intervention int32
	polarity                                  int8
}

// chainID spells a chain as context|mechanism|outcome|polarity, with
// |intervention appended when chains are split by intervention. Code ids are
// stable, so the id is too; team decisions refer to it.
func (cb *Codebook) chainID(k chainKey) string {
	parts := []string{cb.idOf(k.context), cb.idOf(k.mechanism), cb.idOf(k.outcome), polarities[k.polarity]}
	if k.intervention >= 0 {
		parts = append(parts, cb.idOf(k.intervention))
	}
	return strings.Join(parts, "|")
}

func (cb *Codebook) idOf(i int32) string {
	if i < 0 {
		return ""
	}
	return cb.Codes[i].ID
}

func (cb *Codebook) labelOf(i int32) string {
	if i < 0 {
		return ""
	}
	return cb.Codes[i].Label
}

// parseChainID reads a chain id back, resolving each code through synonyms
// and merges so that an old id still finds its chain.
func parseChainID(id string, cb *Codebook) (chainKey, error) {
	parts := strings.Split(id, "|")
	if len(parts) != 4 && len(parts) != 5 {
		return chainKey{}, fmt.Errorf("want context|mechanism|outcome|polarity[|intervention]")
	}
	k := chainKey{context: -1, intervention: -1}
	code := func(s, role string, optional bool) (int32, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			if optional {
				return -1, nil
			}
			return -1, fmt.Errorf("%s is empty", role)
		}
		t, _, ok := cb.Resolve(s)
		if !ok {
			return -1, fmt.Errorf("unknown code %q (did you mean %s?)", s, cb.Suggest(s))
		}
		return int32(t), nil
	}
	var err error
	if k.context, err = code(parts[0], "context", true); err != nil {
		return k, err
	}
	if k.mechanism, err = code(parts[1], "mechanism", false); err != nil {
		return k, err
	}
	if k.outcome, err = code(parts[2], "outcome", false); err != nil {
		return k, err
	}
	p := slices.Index(polarities, strings.ToLower(strings.TrimSpace(parts[3])))
	if p < 0 {
		return k, fmt.Errorf("polarity %q, want positive, negative, mixed or unclear", parts[3])
	}
	k.polarity = int8(p)
	if len(parts) == 5 {
		if k.intervention, err = code(parts[4], "intervention", true); err != nil {
			return k, err
		}
	}
	return k, nil
}
