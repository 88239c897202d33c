package mfa

import "context"

// TakeChallenge closes an open second-factor challenge that another factor answered (a
// client certificate checked by the session), in ctx's transaction; ErrChallenge when it
// is no longer open.
func (s *Service) TakeChallenge(ctx context.Context, challenge string) error {
	if _, err := s.pending(ctx, challenge); err != nil {
		return err
	}
	taken, err := s.store.takeChallenge(ctx, hashID(challenge))
	if err == nil && !taken {
		err = ErrChallenge
	}
	return err
}
