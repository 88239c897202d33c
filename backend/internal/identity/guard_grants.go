package identity

import "context"

// CheckPermissionGrant refuses (403 authz.grantNotHeld, audited) when the caller in ctx
// would hand out permissions it does not hold itself through something that carries
// them later, such as an integrated system's allowed services. The refusal names field
// and the resource acted on; the system itself (no caller) holds everything.
func (s *Service) CheckPermissionGrant(ctx context.Context, field, resType, resID, resName string, perms []string) error {
	c := s.callerOf(ctx)
	if c == nil {
		return nil
	}
	if m := c.missing(perms); len(m) > 0 {
		return s.audited(ctx, refuse(errGrantNotHeld, "grant", resType, resID, resName, field, m))
	}
	return nil
}
