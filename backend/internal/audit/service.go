package audit

import (
	"context"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// Service reads the audit log: its pages and the check of its hash chain.
type Service struct {
	store store
	chain *Chainer
}

// NewService makes the service; Verify chains pending events with c first.
func NewService(d *db.DB, c *Chainer) *Service { return &Service{store: store{db: d}, chain: c} }

// List lists events.
func (s *Service) List(ctx context.Context, p list.Params) (list.Page[EventView], error) {
	page, err := s.store.list(ctx, p)
	if err != nil {
		return list.Page[EventView]{}, err
	}
	return list.Map(page, view), nil
}

// Verification is the result of walking the chain.
type Verification struct {
	OK       bool   `json:"ok"`
	Checked  int64  `json:"checked"`
	BrokenAt *int64 `json:"broken_at_seq,omitempty"`
} //	@name	AuditVerification

// Verify chains pending events, then recomputes every link; the first mismatch is
// reported.
func (s *Service) Verify(ctx context.Context) (Verification, error) {
	if err := s.chain.Flush(ctx); err != nil {
		return Verification{}, err
	}
	v := Verification{OK: true}
	prev := ""
	var after int64
	for {
		batch, err := s.store.chained(ctx, after, 1000)
		if err != nil {
			return v, err
		}
		if len(batch) == 0 {
			return v, nil
		}
		for i := range batch {
			e := &batch[i]
			if e.PrevHash != prev || hashOf(prev, e) != e.Hash || *e.Seq != v.Checked+1 {
				v.OK, v.BrokenAt = false, e.Seq
				return v, nil
			}
			prev = e.Hash
			v.Checked++
			after = *e.Seq
		}
	}
}
