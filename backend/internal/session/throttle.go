package session

import (
	"context"
	"time"

	"custos/internal/audit"
)

// Throttle keys. "acct:" < "ip:" < "src:" is also the order in which a reservation locks
// its three rows, so two reservations never wait for each other in a cycle.
func acctKey(login string) string    { return "acct:" + login }
func ipKey(ip string) string         { return "ip:" + ip }
func srcKey(login, ip string) string { return "src:" + login + "|" + ip }

// auditedKey marks a throttle key whose refusal is already audited until its
// locked_until, so a flood of refused attempts writes one event per lock, not one each.
func auditedKey(key string) string { return "aud:" + key }

// limit names what refused an attempt, for the audit log.
type limit struct {
	key  string
	name string // "source" (account from this IP), "address" (this IP) or "account" (everywhere)
	wait time.Duration
}

// reserve counts one sign-in attempt before any password is checked: against the account
// from this IP, against the IP and against the account from everywhere. It locks the three
// rows in one transaction, so parallel attempts are counted one after another and at most
// the limit's worth of them go on to check a password. A refused attempt counts nothing
// and answers auth.tooManyAttempts with Retry-After.
func (s *Service) reserve(ctx context.Context, provider, login, ip string) error {
	now := s.now()
	keys := []string{acctKey(login), ipKey(ip), srcKey(login, ip)}
	// The rows exist before the transaction locks them (outside it, so no insert lock is
	// held while waiting for another row).
	if err := s.store.seedThrottle(ctx, keys, now); err != nil {
		return err
	}
	var refused *limit
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		refused, err = s.count(ctx, provider, login, ip, keys, now)
		return err
	})
	if err != nil {
		return err
	}
	if refused != nil {
		e := *errTooMany
		e.RetryAfter = int((refused.wait + time.Second - 1) / time.Second)
		return &e
	}
	return nil
}

// count is reserve's transaction: it locks the rows of keys (account, address, source)
// and either counts the attempt or returns the limit that refuses it, audited.
func (s *Service) count(ctx context.Context, provider, login, ip string, keys []string, now time.Time) (*limit, error) {
	rows, err := s.store.lockThrottle(ctx, keys)
	if err != nil {
		return nil, err
	}
	got := map[string]*throttleRow{}
	for i := range rows {
		got[rows[i].Key] = &rows[i]
	}
	acct, addr, src := row(got, keys[0], now), row(got, keys[1], now), row(got, keys[2], now)
	s.expire(src, now, false)
	s.expire(addr, now, false)
	s.expire(acct, now, true)
	var refused *limit
	for _, l := range []limit{{src.Key, "source", waitFor(src, s.opts.MaxFailures, now)},
		{addr.Key, "address", waitFor(addr, s.opts.MaxIPFailures, now)}, {acct.Key, "account", waitFor(acct, 0, now)}} {
		if l.wait > 0 && (refused == nil || l.wait > refused.wait) {
			refused = &l
		}
	}
	if refused != nil {
		return refused, s.auditRefusal(ctx, provider, login, ip, *refused, now)
	}
	src.Failures++
	addr.Failures++
	acct.Failures++
	acct.WindowStart = now // the account's window slides: it resets after Window of quiet
	if n := acct.Failures - s.opts.SlowAfter; s.opts.SlowAfter > 0 && n > 0 {
		until := now.Add(s.delay(n))
		acct.LockedUntil = &until
	}
	for _, r := range []*throttleRow{acct, addr, src} {
		if err := s.store.saveThrottle(ctx, r); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func row(got map[string]*throttleRow, key string, now time.Time) *throttleRow {
	if r := got[key]; r != nil {
		return r
	}
	return &throttleRow{Key: key, WindowStart: now} // swept between the insert and the lock
}

// expire starts a new count once a lock has ended or, unlocked, the window has passed.
func (s *Service) expire(r *throttleRow, now time.Time, sliding bool) {
	ended := r.LockedUntil != nil && !now.Before(*r.LockedUntil)
	quiet := now.Sub(r.WindowStart) > s.opts.Window
	if (!sliding && (ended || (r.LockedUntil == nil && quiet))) || (sliding && quiet && (r.LockedUntil == nil || ended)) {
		r.Failures, r.WindowStart, r.LockedUntil = 0, now, nil
	}
}

// waitFor is how long r refuses attempts: until its lock ends, or, when max attempts are
// still being checked, about the time one check takes.
func waitFor(r *throttleRow, max int, now time.Time) time.Duration {
	if r.LockedUntil != nil && now.Before(*r.LockedUntil) {
		return r.LockedUntil.Sub(now)
	}
	if max > 0 && r.Failures >= max {
		return time.Second
	}
	return 0
}

// delay is the wait after the n-th attempt beyond SlowAfter: 1 s, 2 s, 4 s … MaxDelay.
func (s *Service) delay(n int) time.Duration {
	d := time.Second
	for i := 1; i < n && d < s.opts.MaxDelay; i++ {
		d *= 2
	}
	return min(d, max(s.opts.MaxDelay, time.Second))
}

// auditRefusal audits a refused attempt once per lock of the key that refused it.
func (s *Service) auditRefusal(ctx context.Context, provider, login, ip string, l limit, now time.Time) error {
	until := now.Add(l.wait)
	if l.name != "account" { // attempts still being checked lead to the lock: one event for both
		until = now.Add(max(l.wait, s.opts.Lockout))
	}
	marked, err := s.store.markAudited(ctx, auditedKey(l.key), now, until)
	if err != nil || !marked {
		return err // already audited during this lock
	}
	after := map[string]any{"ip": ip, "limit": l.name, "retry_after_s": int((l.wait + time.Second - 1) / time.Second)}
	if provider != "" {
		after["provider"] = provider
	}
	return audit.Record(ctx, audit.Entry{Action: "login.failure", ResourceType: "session", ResourceName: login,
		Reason: "tooManyAttempts", After: after})
}

// lockIfOver locks the account+IP pair and the IP whose attempts reached their limit;
// a failed attempt keeps its reservation, which is the count.
func (s *Service) lockIfOver(ctx context.Context, login, ip string, now time.Time) error {
	until := now.Add(s.opts.Lockout)
	for _, l := range []struct {
		key string
		max int
	}{{ipKey(ip), s.opts.MaxIPFailures}, {srcKey(login, ip), s.opts.MaxFailures}} { // the reservation's lock order
		if l.max <= 0 {
			continue
		}
		if err := s.store.lockOver(ctx, l.key, l.max, now, until); err != nil {
			return err
		}
	}
	return nil
}

// settle ends a reservation. A success clears what the account+IP pair and the account
// counted (the password is known there) and gives the IP its attempt back; an attempt
// that proved nothing (an unavailable provider, a right password refused) gives back its
// three counts.
func (s *Service) settle(ctx context.Context, login, ip string, success bool) error {
	back := func(key string) error { return s.store.giveBackAttempt(ctx, key) }
	if err := back(ipKey(ip)); err != nil {
		return err
	}
	if !success {
		if err := back(srcKey(login, ip)); err != nil {
			return err
		}
		return back(acctKey(login))
	}
	return s.store.clearThrottle(ctx, []string{srcKey(login, ip), acctKey(login)})
}

// Release gives back the attempt CheckThrottle reserved when it proved nothing about the
// password: the provider was unavailable, or the password was right and the sign-in was
// refused for another reason. A wrong password is settled by Fail, a success by Succeeded.
func (s *Service) Release(ctx context.Context, login, ip string) error {
	return s.settle(ctx, login, ip, false)
}

// Succeeded ends the attempt CheckThrottle reserved for a sign-in that succeeded.
func (s *Service) Succeeded(ctx context.Context, login, ip string) error {
	return s.settle(ctx, login, ip, true)
}

// SetClock replaces the service's clock (tests step it instead of sleeping through a
// lock-out delay).
func (s *Service) SetClock(now func() time.Time) { s.now = now }
