package list

// SetCandidatePaging switches the one-scan count-and-page on or off and returns the
// function that restores the previous setting (for tests comparing both ways).
func SetCandidatePaging(on bool) (restore func()) {
	was := candidatePaging
	candidatePaging = on
	return func() { candidatePaging = was }
}
