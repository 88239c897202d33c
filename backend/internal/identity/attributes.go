package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// AttributeInput creates an access-schema attribute.
type AttributeInput struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Type string `json:"type" enums:"string,list"`
} //	@name	AttributeInput

// AttributePatch changes an attribute.
type AttributePatch struct {
	Version int     `json:"version"`
	Code    *string `json:"code" validate:"optional"`
	Name    *string `json:"name" validate:"optional"`
	Type    *string `json:"type" enums:"string,list" validate:"optional"`
} //	@name	AttributePatch

// AttributeSpec is the list whitelist of attributes.
var AttributeSpec = list.Spec{
	Sorts: map[string]list.SortField{"code": {Column: "code"}, "name": {Column: "name"}, "type": {Column: "type"},
		"created_at": {Column: "created_at", Type: list.Time}},
	Filters:      map[string]list.FilterField{"type": {Column: "type", Type: list.Enum, Values: []string{"string", "list"}}},
	SearchColumn: "search_text", DefaultSort: "code", DefaultOrder: "asc",
}

// ListAttributes lists the access schema.
func (s *Service) ListAttributes(ctx context.Context, p list.Params) (list.Page[Attribute], error) {
	return s.attrs.list(ctx, p)
}

// GetAttribute returns one attribute.
func (s *Service) GetAttribute(ctx context.Context, id string) (Attribute, error) {
	return s.attrs.get(ctx, id)
}

// CreateAttribute adds an attribute to the access schema.
func (s *Service) CreateAttribute(ctx context.Context, in AttributeInput) (Attribute, error) {
	var c validate.Checks
	c.Code("code", in.Code, 100)
	c.Text("name", in.Name, true, 200)
	c.OneOf("type", in.Type, "string", "list")
	if err := c.Err(); err != nil {
		return Attribute{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := attributeRow{ID: uuid.Must(uuid.NewV7()).String(), Code: in.Code, Name: in.Name, Type: in.Type,
		SearchText: list.SearchText(in.Code, in.Name), Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(ctx context.Context) error {
		if err := s.attrs.create(ctx, &row); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "attribute", ResourceID: row.ID,
			ResourceName: row.Code, After: row.toAPI()})
	})
	return row.toAPI(), err
}

// UpdateAttribute changes an attribute; system attributes keep their code and type.
func (s *Service) UpdateAttribute(ctx context.Context, id string, in AttributePatch) (Attribute, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.Code != nil {
		c.Code("code", *in.Code, 100)
	}
	if in.Name != nil {
		c.Text("name", *in.Name, true, 200)
	}
	if in.Type != nil {
		c.OneOf("type", *in.Type, "string", "list")
	}
	if err := c.Err(); err != nil {
		return Attribute{}, err
	}
	var out Attribute
	err := s.tx(ctx, func(ctx context.Context) error {
		before, err := s.attrs.get(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Conflict(before)
		}
		code, name, typ := before.Code, before.Name, before.Type
		if in.Code != nil {
			code = *in.Code
		}
		if in.Name != nil {
			name = *in.Name
		}
		if in.Type != nil {
			typ = *in.Type
		}
		if before.System && (code != before.Code || typ != before.Type) {
			return apperr.New(apperr.KindUnprocessable, "attribute.systemReadOnly",
				"The code and type of a system attribute cannot be changed; only its name can.")
		}
		if err := s.attrs.update(ctx, id, in.Version, code, name, typ, before); err != nil {
			return err
		}
		if out, err = s.attrs.get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "attribute", ResourceID: id,
			ResourceName: code, Before: before, After: out})
	})
	return out, err
}

// DeleteAttribute removes a custom attribute.
func (s *Service) DeleteAttribute(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.deleteAttribute(ctx, id) })
}

func (s *Service) deleteAttribute(ctx context.Context, id string) error {
	before, err := s.attrs.get(ctx, id)
	if err != nil {
		return err
	}
	if before.System {
		return apperr.New(apperr.KindUnprocessable, "attribute.systemCannotBeDeleted", "System attributes such as user_roles cannot be deleted.")
	}
	if err := s.attrs.delete(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: "attribute", ResourceID: id,
		ResourceName: before.Code, Before: before})
}

// BulkDeleteAttributes deletes each id, reporting refusals per id.
func (s *Service) BulkDeleteAttributes(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deleteAttribute)
}
