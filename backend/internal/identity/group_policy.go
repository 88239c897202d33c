package identity

import "custos/internal/platform/validate"

// DefaultGraceDays is a new group's grace period for setting up a required second factor.
const DefaultGraceDays = 7

// maxGraceDays bounds the grace period (a year).
const maxGraceDays = 365

func checkGrace(c *validate.Checks, days int) {
	if days < 0 || days > maxGraceDays {
		c.Add("second_factor_grace_days", "range", "give 0 to 365 days")
	}
}

// factorPolicy is the second-factor policy a patch writes (the group's own where it
// leaves a field out); the group's update audit event shows the change.
func factorPolicy(in GroupPatch, before Group) map[string]any {
	req, days := before.SecondFactorRequired, before.SecondFactorGraceDays
	if in.SecondFactorRequired != nil {
		req = *in.SecondFactorRequired
	}
	if in.SecondFactorGraceDays != nil {
		days = *in.SecondFactorGraceDays
	}
	return map[string]any{"second_factor_required": req, "second_factor_grace_days": days}
}
