// Package all links every export reader into a binary: importing it for its
// side effects registers them all with package formats.
package all

import (
	_ "github.com/realsynth/realsynth/internal/formats/bibtex"
	_ "github.com/realsynth/realsynth/internal/formats/csv"
	_ "github.com/realsynth/realsynth/internal/formats/endnote"
	_ "github.com/realsynth/realsynth/internal/formats/medline"
	_ "github.com/realsynth/realsynth/internal/formats/ris"
	_ "github.com/realsynth/realsynth/internal/formats/wos"
)
