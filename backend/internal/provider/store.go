package provider

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// row is the store's shape of a provider; the API never sees it.
type row struct {
	ID                 string `gorm:"primaryKey"`
	Name               string
	NameKey            string
	Type               string
	Active             bool
	ButtonLabel        string
	AllowUserCreation  bool
	UserTypeID         *string
	Params             string
	ClientSecretSealed string
	BindPasswordSealed string
	Mappings           string
	SearchText         string
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (row) TableName() string { return "providers" }

type groupLink struct {
	ProviderID string `gorm:"primaryKey"`
	GroupID    string `gorm:"primaryKey"`
}

func (groupLink) TableName() string { return "provider_groups" }

func (r *row) params() stored {
	var s stored
	_ = json.Unmarshal([]byte(r.Params), &s)
	return s
}

func (r *row) mappings() []Mapping {
	out := []Mapping{}
	_ = json.Unmarshal([]byte(r.Mappings), &out)
	for i := range out {
		if out[i].Rules == nil {
			out[i].Rules = []Rule{}
		}
	}
	return out
}

func (r *row) toAPI(groupIDs []string) Provider {
	if groupIDs == nil {
		groupIDs = []string{}
	}
	return Provider{ID: r.ID, Name: r.Name, Type: r.Type, Active: r.Active, ButtonLabel: r.ButtonLabel,
		BaseGroupIDs: groupIDs, AllowUserCreation: r.AllowUserCreation, UserTypeID: r.UserTypeID,
		Params:   readParams(r.Type, r.params(), r.ClientSecretSealed != "", r.BindPasswordSealed != ""),
		Mappings: r.mappings(), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// errDuplicate is a unique index refusing a write; the service knows which rule.
var errDuplicate = errors.New("provider: duplicate key")

// store is the only code touching the providers tables.
type store struct{ db *db.DB }

// errBusy reports a provider lock that stayed taken too long.
var errBusy = apperr.New(apperr.KindUnavailable, "provider.busy",
	"Another change to providers is in progress; try again in a moment.")

// tx runs fn in a write transaction carried by the context fn receives; every store
// call made with that context joins it.
func (s store) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, fn)
}

// lock serialises provider writes on PostgreSQL until the transaction in ctx ends, so
// the rule checks that precede a write see every committed competitor (SQLite has a
// single writer already). The unique indexes of migration 003 stay as the last line
// of defence. A bounded wait keeps a stuck writer from stalling the others for ever.
func (s store) lock(ctx context.Context) error {
	if s.db.Dialect != db.Postgres {
		return nil
	}
	tx := s.db.Write(ctx)
	if err := tx.Exec("SET LOCAL lock_timeout = '15s'").Error; err != nil {
		return err
	}
	err := tx.Exec("SELECT pg_advisory_xact_lock(7212003)").Error
	if err != nil && (strings.Contains(err.Error(), "55P03") || strings.Contains(err.Error(), "lock timeout")) {
		return errBusy
	}
	return err
}

func (s store) load(ctx context.Context, id string) (row, []string, error) {
	var r row
	if _, err := uuid.Parse(id); err != nil {
		return r, nil, apperr.NotFound("provider")
	}
	if err := s.db.Read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return r, nil, apperr.NotFound("provider")
		}
		return r, nil, err
	}
	g, err := s.groupsOf(ctx, []string{id})
	return r, g[id], err
}

func (s store) groupsOf(ctx context.Context, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var links []groupLink
	if err := s.db.Read(ctx).Where("provider_id IN ?", ids).Order("group_id").Find(&links).Error; err != nil {
		return nil, err
	}
	for _, l := range links {
		out[l.ProviderID] = append(out[l.ProviderID], l.GroupID)
	}
	return out, nil
}

func (s store) setGroups(ctx context.Context, id string, groupIDs []string) error {
	tx := s.db.Write(ctx)
	if err := tx.Where("provider_id = ?", id).Delete(&groupLink{}).Error; err != nil {
		return err
	}
	for _, g := range groupIDs {
		if err := tx.Create(&groupLink{ProviderID: id, GroupID: g}).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// translate maps a database refusal to errDuplicate or a field error.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case db.IsUniqueViolation(err):
		return errDuplicate
	case errors.Is(err, gorm.ErrForeignKeyViolated) || strings.Contains(err.Error(), "FOREIGN KEY constraint failed"):
		return apperr.Invalid(apperr.Field("base_group_ids", "notFound", "a group or the user type was deleted meanwhile"))
	}
	return err
}

func (s store) insert(ctx context.Context, r *row) error {
	return translate(s.db.Write(ctx).Create(r).Error)
}

// update writes r if the stored version is still version.
func (s store) update(ctx context.Context, r *row, version int) (bool, error) {
	res := s.db.Write(ctx).Model(&row{}).Where("id = ? AND version = ?", r.ID, version).Select("*").Updates(r)
	return res.RowsAffected == 1, translate(res.Error)
}

func (s store) delete(ctx context.Context, id string) error {
	return s.db.Write(ctx).Where("id = ?", id).Delete(&row{}).Error
}

// first returns the first row q finds, or nil.
func first(q *gorm.DB) (*row, error) {
	var rs []row
	if err := q.Limit(1).Find(&rs).Error; err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, nil
	}
	return &rs[0], nil
}

// activeOfType returns another active provider of typ, if any.
func (s store) activeOfType(ctx context.Context, typ, exceptID string) (*row, error) {
	return first(s.db.Read(ctx).Where("type = ? AND active = ? AND id <> ?", typ, true, exceptID))
}

// anyActive returns an active provider of typ, if any.
func (s store) anyActive(ctx context.Context, typ string) (*row, error) {
	r, err := first(s.db.Read(ctx).Where("type = ? AND active = ?", typ, true))
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return r, err
}

// active returns the active providers of typ, by name.
func (s store) active(ctx context.Context, typ string) ([]row, error) {
	var rs []row
	return rs, s.db.Read(ctx).Where("type = ? AND active = ?", typ, true).Order("name, id").Find(&rs).Error
}

func (s store) countType(ctx context.Context, typ string) (int64, error) {
	var n int64
	return n, s.db.Read(ctx).Model(&row{}).Where("type = ?", typ).Count(&n).Error
}

// byNameKey returns the provider named key (lower-cased), if any.
func (s store) byNameKey(ctx context.Context, key string) (*row, error) {
	return first(s.db.Read(ctx).Where("name_key = ?", key))
}

func (s store) local(ctx context.Context) (*row, error) {
	return first(s.db.Read(ctx).Where("type = ?", TypeLocal))
}

// all returns the providers with ids (every provider when ids is empty), by name.
func (s store) all(ctx context.Context, ids []string) ([]row, error) {
	q := s.db.R.WithContext(ctx).Order("name, id")
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	var rs []row
	return rs, q.Find(&rs).Error
}

// Spec is the list whitelist of providers.
var Spec = list.Spec{
	Sorts: map[string]list.SortField{"name": {Column: "name"}, "type": {Column: "type"},
		"active": {Column: "active", Type: list.Bool}, "created_at": {Column: "created_at", Type: list.Time}},
	Filters: map[string]list.FilterField{"type": {Column: "type", Type: list.Enum, Values: Types},
		"active": {Column: "active", Type: list.Bool}},
	SearchColumn: "search_text", DefaultSort: "name", DefaultOrder: "asc",
}

func (s store) list(ctx context.Context, p list.Params) (list.Page[row], error) {
	return list.Run[row](s.db.R.WithContext(ctx).Model(&row{}), p, Spec, nil)
}
