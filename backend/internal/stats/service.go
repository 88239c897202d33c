package stats

import (
	"context"
	"log/slog"
	"net/url"
	"time"

	"custos/internal/platform/db"
	"custos/internal/platform/worker"
)

// Exists reports whether an id names a resource (nil), or why not (a not-found error).
type Exists func(ctx context.Context, id string) error

// Options configure the service.
type Options struct {
	// RetentionDays is how many days of figures are kept (today included) and the
	// longest range a query may ask for.
	RetentionDays int
	// System and Token check the ids of the stats endpoints (404 for unknown ones).
	System, Token Exists
	// PersonalToken checks that id is a personal token of userID (404 otherwise).
	PersonalToken func(ctx context.Context, userID, id string) error
}

// Service counts requests and answers their figures.
type Service struct {
	store   store
	counter *Counter
	opts    Options
	log     *slog.Logger
	now     func() time.Time
}

// NewService makes the service over d.
func NewService(d *db.DB, log *slog.Logger, opts Options) *Service {
	st := store{db: d}
	if opts.RetentionDays <= 0 {
		opts.RetentionDays = 400
	}
	return &Service{store: st, counter: newCounter(st), opts: opts, log: log, now: time.Now}
}

// SetClock replaces the clock of the queries, the counter and the prune (tests).
func (s *Service) SetClock(now func() time.Time) { s.now, s.counter.now = now, now }

// Counter is the in-memory counter (its middleware and flush job).
func (s *Service) Counter() *Counter { return s.counter }

// ForSystem answers the figures of a system's certificates for the query parameters
// from, to (inclusive UTC days) and group_by.
func (s *Service) ForSystem(ctx context.Context, id string, params url.Values) (Report, error) {
	q, err := s.parse(params)
	if err != nil {
		return Report{}, err
	}
	if err := s.opts.System(ctx, id); err != nil {
		return Report{}, err
	}
	q.SystemID = id
	return s.run(ctx, q)
}

// ForToken answers the figures of one API token.
func (s *Service) ForToken(ctx context.Context, id string, params url.Values) (Report, error) {
	q, err := s.parse(params)
	if err != nil {
		return Report{}, err
	}
	if err := s.opts.Token(ctx, id); err != nil {
		return Report{}, err
	}
	q.CredentialID = id
	return s.run(ctx, q)
}

// ForPersonalToken answers the figures of one of userID's personal access tokens.
func (s *Service) ForPersonalToken(ctx context.Context, userID, id string, params url.Values) (Report, error) {
	q, err := s.parse(params)
	if err != nil {
		return Report{}, err
	}
	if err := s.opts.PersonalToken(ctx, userID, id); err != nil {
		return Report{}, err
	}
	q.CredentialID = id
	return s.run(ctx, q)
}

// Day is one day of every credential's requests: all of them, and those answered
// with a status of 400 or above.
type Day struct {
	Day    string `json:"day"`
	Total  int64  `json:"total"`
	Errors int64  `json:"errors"`
} //	@name	StatsDay

// Overview is every credential's requests over the last days (the console's dashboard).
type Overview struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Days   []Day  `json:"days"`
	Total  int64  `json:"total"`
	Errors int64  `json:"errors"`
} //	@name	StatsOverview

// Overview sums every credential's requests per day over the last days (today
// included), every day listed, quiet ones with zeros.
func (s *Service) Overview(ctx context.Context, days int) (Overview, error) {
	to := s.now().UTC().Truncate(24 * time.Hour)
	from := to.AddDate(0, 0, -(days - 1))
	rows, err := s.store.query(ctx, Query{All: true, From: from, To: to})
	if err != nil {
		return Overview{}, err
	}
	byDay := map[string]*Day{}
	out := Overview{From: from.Format(DayLayout), To: to.Format(DayLayout), Days: make([]Day, 0, days)}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out.Days = append(out.Days, Day{Day: d.Format(DayLayout)})
	}
	for i := range out.Days {
		byDay[out.Days[i].Day] = &out.Days[i]
	}
	for _, r := range rows {
		d := byDay[r.Day]
		if d == nil {
			continue
		}
		d.Total += r.Count
		out.Total += r.Count
		if r.Status >= 400 {
			d.Errors += r.Count
			out.Errors += r.Count
		}
	}
	return out, nil
}

func (s *Service) run(ctx context.Context, q Query) (Report, error) {
	rows, err := s.store.query(ctx, q)
	if err != nil {
		return Report{}, err
	}
	r := Report{From: q.From.Format(DayLayout), To: q.To.Format(DayLayout), GroupBy: q.GroupBy, Rows: rows}
	if r.Rows == nil {
		r.Rows = []Row{}
	}
	for _, row := range rows {
		r.Total += row.Count
	}
	return r, nil
}

// parse reads from, to and group_by: to defaults to today (UTC), from to 29 days before
// to; from must not be after to, and the range not longer than the retention.
func (s *Service) parse(params url.Values) (Query, error) {
	var q Query
	q.To = s.now().UTC().Truncate(24 * time.Hour)
	if v := params.Get("to"); v != "" {
		t, err := time.Parse(DayLayout, v)
		if err != nil {
			return q, errBadDate("to")
		}
		q.To = t
	}
	q.From = q.To.AddDate(0, 0, -(DefaultDays - 1))
	if v := params.Get("from"); v != "" {
		t, err := time.Parse(DayLayout, v)
		if err != nil {
			return q, errBadDate("from")
		}
		q.From = t
	}
	if q.From.After(q.To) {
		return q, errFromTo
	}
	if days := int(q.To.Sub(q.From).Hours()/24) + 1; days > s.opts.RetentionDays {
		return q, errTooLong(s.opts.RetentionDays)
	}
	switch g := params.Get("group_by"); g {
	case GroupNone, GroupDay, GroupStatus, GroupCredential:
		q.GroupBy = g
	default:
		return q, errGroupBy
	}
	return q, nil
}

// Prune deletes the figures older than the retention.
func (s *Service) Prune(ctx context.Context) error {
	cutoff := s.now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -(s.opts.RetentionDays - 1))
	n, err := s.store.prune(ctx, cutoff)
	if err == nil && n > 0 {
		s.log.Info("request statistics pruned", "rows", n, "before", cutoff.Format(DayLayout))
	}
	return err
}

// Jobs are the flush (every few seconds, and at shutdown) and the daily prune. The
// prune is leased: one replica a day does it for all (platform/worker Once).
func (s *Service) Jobs() []worker.Job {
	return []worker.Job{s.counter.Job(),
		{Name: "request statistics prune", Every: 24 * time.Hour, First: time.Minute, Run: s.Prune, Once: true}}
}
