package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// attributeRow is the store's shape of an access-schema attribute.
type attributeRow struct {
	ID         string `gorm:"primaryKey"`
	Code       string
	Name       string
	Type       string
	System     bool
	SearchText string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (attributeRow) TableName() string { return "attributes" }

func (r *attributeRow) toAPI() Attribute {
	return Attribute{ID: r.ID, Code: r.Code, Name: r.Name, Type: r.Type, System: r.System, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// attributeStore keeps the access schema.
type attributeStore struct{ d *db.DB }

// list runs a list request over the attributes.
func (st attributeStore) list(ctx context.Context, p list.Params) (list.Page[Attribute], error) {
	page, err := list.Run[attributeRow](st.d.Read(ctx).Model(&attributeRow{}), p, AttributeSpec, nil)
	if err != nil {
		return list.Page[Attribute]{}, err
	}
	return list.Map(page, func(r attributeRow) Attribute { return r.toAPI() }), nil
}

// get returns the attribute id; a malformed id names none.
func (st attributeStore) get(ctx context.Context, id string) (Attribute, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Attribute{}, apperr.NotFound("attribute")
	}
	var r attributeRow
	if err := takeOr(st.d.Read(ctx).Where("id = ?", id), &r, apperr.NotFound("attribute")); err != nil {
		return Attribute{}, err
	}
	return r.toAPI(), nil
}

// byCodes returns the attributes among codes, ordered by code.
func (st attributeStore) byCodes(ctx context.Context, codes []string) ([]Attribute, error) {
	out := []Attribute{}
	if len(codes) == 0 {
		return out, nil
	}
	var rows []attributeRow
	if err := st.d.Read(ctx).Where("code IN ?", codes).Order("code").Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		out = append(out, rows[i].toAPI())
	}
	return out, nil
}

// create inserts row; a taken code is a field error.
func (st attributeStore) create(ctx context.Context, row *attributeRow) error {
	return createCoded(st.d.Write(ctx), row)
}

// update writes code, name and type while the attribute is still at version (see updateCoded).
func (st attributeStore) update(ctx context.Context, id string, version int, code, name, typ string, before Attribute) error {
	return updateCoded(st.d.Write(ctx), &attributeRow{}, id, version, code, name, map[string]any{"type": typ}, before)
}

// delete deletes the attribute id.
func (st attributeStore) delete(ctx context.Context, id string) error {
	return st.d.Write(ctx).Where("id = ?", id).Delete(&attributeRow{}).Error
}
