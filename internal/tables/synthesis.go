package tables

// Tables of the synthesis stage: CMO tallies, chains, demi-regularity candidates.
// Declare each row type in this file and list it here, in the order the stage writes them.
var synthesisTables = []Spec{}
