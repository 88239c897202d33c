package notify

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/db"
)

// batch is how many mails one pass claims at a time.
const batch = 8

// Decided queues the mail telling user userID that their device issuance was approved or
// rejected (with the comment, by whom), in the caller's transaction: the mail is sent
// only if the decision commits, and is not lost if the SMTP server is down. A user
// without an e-mail address gets no mail.
func (s *Service) Decided(ctx context.Context, userID string, approved bool, comment, by string) error {
	in := struct {
		UserID, Comment, By string
		Approved            bool
	}{userID, comment, by, approved}
	u, err := s.dir.GetUser(ctx, in.UserID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(u.Email) == "" {
		return nil
	}
	kind := KindApproved
	if !in.Approved {
		kind = KindRejected
	}
	lang := Language(u)
	m := render(kind, lang, mailData{Name: nameOf(u), By: in.By, Comment: in.Comment})
	now := s.now()
	r := outboxRow{ID: uuid.Must(uuid.NewV7()).String(), Kind: kind, ToAddress: strings.TrimSpace(u.Email),
		Subject: m.Subject, Body: lang + "\n" + m.Body, State: StatePending, NextAttemptAt: &now, CreatedAt: now, UpdatedAt: now}
	if err := s.store.enqueue(ctx, &r); err != nil {
		return err
	}
	db.AfterCommit(ctx, s.kick)
	return nil
}

// MailPIN mails a device's random user PIN to the user and/or their manager (attribute
// manager_email) now, while the request waits: the PIN is never queued, stored, logged
// or audited, so a failure is the caller's to see (503) and to retry. It answers the
// addresses the mail went to.
func (s *Service) MailPIN(ctx context.Context, userID, pin, serial string, toUser, toManager bool) ([]string, error) {
	in := struct {
		UserID, PIN, Serial string
		ToUser, ToManager   bool
	}{userID, pin, serial, toUser, toManager}
	u, err := s.dir.GetUser(ctx, in.UserID)
	if err != nil {
		return nil, err
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	if !cfg.configured() {
		return nil, errNotConfigured
	}
	lang := Language(u)
	type target struct {
		to      string
		manager bool
	}
	var targets []target
	if in.ToUser && strings.TrimSpace(u.Email) != "" {
		targets = append(targets, target{strings.TrimSpace(u.Email), false})
	}
	if m := attr(u, AttrManagerEmail); in.ToManager && m != "" {
		targets = append(targets, target{m, true})
	}
	if len(targets) == 0 {
		return nil, errNoRecipient
	}
	var sent []string
	for _, t := range targets {
		m := render(KindPIN, lang, mailData{Name: nameOf(u), PIN: in.PIN, Serial: in.Serial, ForManager: t.manager})
		if err := s.send(ctx, cfg, t.to, KindPIN, lang, m); err != nil {
			return sent, errSend(err)
		}
		sent = append(sent, t.to)
	}
	return sent, nil
}

// backoff is the wait after the n-th failed attempt.
func backoff(n int) time.Duration {
	d := FirstRetry
	for i := 1; i < n && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

// Deliver sends every due mail of the outbox, a batch at a time, until none is due.
// Every replica runs it; on PostgreSQL rows are claimed with FOR UPDATE SKIP LOCKED and
// leased, so no mail is sent by two replicas at once.
func (s *Service) Deliver(ctx context.Context) error {
	for ctx.Err() == nil {
		now := s.now()
		rows, err := s.store.claim(ctx, now, now.Add(s.timeout+time.Minute), batch)
		if err != nil || len(rows) == 0 {
			return err
		}
		cfg, err := s.config(ctx)
		if err != nil {
			return err
		}
		var errs []error
		for _, r := range rows {
			errs = append(errs, s.attempt(ctx, cfg, r))
		}
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) attempt(ctx context.Context, cfg smtpConfig, r outboxRow) error {
	lang, body, _ := strings.Cut(r.Body, "\n")
	err := s.send(ctx, cfg, r.ToAddress, r.Kind, lang, rendered{Subject: r.Subject, Body: body})
	now := s.now()
	fields := map[string]any{"attempts": r.Attempts + 1, "updated_at": now}
	switch next := now.Add(backoff(r.Attempts + 1)); {
	case err == nil:
		fields["state"], fields["next_attempt_at"], fields["last_error"] = StateSent, nil, ""
	case next.After(r.CreatedAt.Add(RetryFor)):
		fields["state"], fields["next_attempt_at"], fields["last_error"] = StateFailed, nil, cleanErr(err)
	default:
		fields["next_attempt_at"], fields["last_error"] = next, cleanErr(err)
	}
	if err != nil {
		s.log.Warn("mail not sent", "id", r.ID, "kind", r.Kind, "attempt", r.Attempts+1, "err", cleanErr(err))
	}
	return s.store.updateMail(ctx, r.ID, fields)
}
