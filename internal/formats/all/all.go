// Package all links every export reader into a binary: importing it for its
// side effects registers them all with package formats.
package all

import (
	_ "github.com/realsynth/realsynth/internal/formats/medline"
	_ "github.com/realsynth/realsynth/internal/formats/ris"
)
