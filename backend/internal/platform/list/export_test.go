package list

// SetCandidatePaging switches the one-scan count-and-page on or off and returns the
// function that restores the previous setting (for tests comparing both ways).
func SetCandidatePaging(on bool) (restore func()) {
	was := candidatePaging
	candidatePaging = on
	return func() { candidatePaging = was }
}

// SetEstimateAbove sets the count budget of searches (EstimateAbove) and returns the
// function that restores it.
func SetEstimateAbove(n int64) (restore func()) {
	was := EstimateAbove
	EstimateAbove = n
	return func() { EstimateAbove = was }
}

// RoundEstimate exposes roundEstimate.
var RoundEstimate = roundEstimate
