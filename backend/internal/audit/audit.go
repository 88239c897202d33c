// Package audit writes the append-only, hash-chained audit log. Events are inserted
// in the caller's transaction (so a change and its event commit together); one
// background chainer then assigns each committed event its sequence number and hash
// in commit order, so hashing never serialises the writers.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
)

// Entry is what a service records.
type Entry struct {
	Action       string
	ResourceType string
	ResourceID   string
	ResourceName string
	Before       any // nil for create
	After        any // nil for delete
	// Reason is stored in the diff for refusals (sign-in failures).
	Reason string
}

// Redacted is what a secret value becomes in the log.
const Redacted = "[redacted]"

// secretKeys are never written to the audit log, whatever resource they come from.
var secretKeys = []string{"password", "password_hash", "secret", "client_secret", "bind_password", "token",
	"private_key", "key", "pin", "api_key"}

func isSecret(k string) bool {
	k = strings.ToLower(k)
	for _, s := range secretKeys {
		if k == s || strings.HasSuffix(k, "_"+s) {
			return true
		}
	}
	return false
}

// Record inserts the event in the transaction ctx carries (an event is written with the
// change it describes, or not at all), taking actor, IP and request id from ctx.
func Record(ctx context.Context, e Entry) error {
	if !db.InTx(ctx) {
		return db.ErrNoTx
	}
	db.Notify(ctx, Topic)
	m := httpx.MetaFrom(ctx)
	diff := map[string]any{}
	before, after := toMap(e.Before), toMap(e.After)
	if before != nil && after != nil {
		before, after = changed(before, after)
	}
	if before != nil {
		diff["before"] = redact(before)
	}
	if after != nil {
		diff["after"] = redact(after)
	}
	if e.Reason != "" {
		diff["reason"] = e.Reason
	}
	b, err := json.Marshal(diff)
	if err != nil {
		return err
	}
	ev := Event{ID: uuid.Must(uuid.NewV7()).String(), At: time.Now().UTC().Truncate(time.Microsecond),
		ActorType: m.ActorType, ActorID: m.ActorID, ActorName: m.ActorName, IP: m.IP, RequestID: m.RequestID,
		Action: e.Action, ResourceType: e.ResourceType, ResourceID: e.ResourceID, ResourceName: validate.CleanText(e.ResourceName, 300),
		Diff: string(b)}
	return insert(ctx, &ev)
}

func toMap(v any) map[string]any {
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()) {
		return nil
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

// changed keeps only the keys whose values differ (bookkeeping fields dropped).
func changed(before, after map[string]any) (map[string]any, map[string]any) {
	b, a := map[string]any{}, map[string]any{}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		if k == "updated_at" || k == "version" {
			continue
		}
		if !reflect.DeepEqual(before[k], after[k]) {
			b[k], a[k] = before[k], after[k]
		}
	}
	return b, a
}

func redact(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch {
		case isSecret(k):
			out[k] = Redacted
		case v != nil && reflect.TypeOf(v).Kind() == reflect.Map:
			if sub, ok := v.(map[string]any); ok {
				out[k] = redact(sub)
			} else {
				out[k] = v
			}
		default:
			out[k] = v
		}
	}
	return out
}

// hashOf is the chain link: SHA-256 over the previous hash and the event's content.
func hashOf(prev string, e *Event) string {
	h := sha256.New()
	parts := []string{prev, e.ID, e.At.UTC().Format(time.RFC3339Nano), e.ActorType, e.ActorID, e.ActorName, e.IP,
		e.RequestID, e.Action, e.ResourceType, e.ResourceID, e.ResourceName, canonical(e.Diff)}
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canonical re-encodes JSON with sorted keys so storage round-trips (PostgreSQL
// text vs SQLite) never change the hash.
func canonical(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.Marshal(sortKeys(v))
	return string(b)
}

func sortKeys(v any) any {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(t))
		for _, k := range keys {
			out[k] = sortKeys(t[k])
		}
		return out
	case []any:
		for i := range t {
			t[i] = sortKeys(t[i])
		}
	}
	return v
}

// Topic is the commit topic of a transaction that wrote audit events: the chainer
// listens for it (db.OnCommit).
const Topic = "audit"

// ActionDenied is the action of a refusal kept in the log: a grant above the caller's
// own permissions, a token managing tokens, a token asking for a session's work.
const ActionDenied = "access.denied"

// RecordAlone records e in a transaction of its own: for a refusal, whose request's
// transaction rolled back or never began (ctx must carry no transaction).
func RecordAlone(ctx context.Context, d *db.DB, e Entry) error {
	return d.Tx(ctx, func(ctx context.Context) error { return Record(ctx, e) })
}
