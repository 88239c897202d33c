package device

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// ListTypes lists the device types with the list conventions.
func (s *Service) ListTypes(ctx context.Context, p list.Params) (list.Page[DeviceType], error) {
	page, err := listRows[typeRow](s.store, ctx, p, TypeSpec)
	return list.Map(page, func(r typeRow) DeviceType { return r.toAPI() }), err
}

// GetType returns one device type.
func (s *Service) GetType(ctx context.Context, id string) (DeviceType, error) {
	r, err := getRow[typeRow](s.store, ctx, id, "device type", false)
	return r.toAPI(), err
}

// DefaultPINs opens the default PINs of a device type's area (for the issuance step;
// never answered by the API). Empty strings when the area has none.
func (s *Service) DefaultPINs(ctx context.Context, id, area string) (admin, user string, err error) {
	r, err := getRow[typeRow](s.store, ctx, id, "device type", false)
	if err != nil {
		return "", "", err
	}
	for _, a := range r.areas() {
		if a.Code != area {
			continue
		}
		if admin, err = s.open(a.AdminPIN); err != nil {
			return "", "", err
		}
		user, err = s.open(a.UserPIN)
		return admin, user, err
	}
	return "", "", apperr.NotFound("PIN area")
}

func (s *Service) open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	return s.box.Open(sealed)
}

func (s *Service) seal(pin string) (string, error) {
	if pin == "" {
		return "", nil
	}
	return s.box.Seal(pin)
}

func checkTypeTexts(c *validate.Checks, name, vendor, model, desc *string) {
	if name != nil {
		c.Text("name", *name, true, maxName)
	}
	if vendor != nil {
		c.Text("vendor", *vendor, false, maxVendorModel)
	}
	if model != nil {
		c.Text("model", *model, false, maxVendorModel)
	}
	if desc != nil {
		c.Text("description", *desc, false, maxDescription)
	}
}

// mergeAreas builds the stored areas of in: a PIN given is checked against rules and
// sealed, "" removes it, an absent one keeps old's for the same code (and is checked
// against rules again, which may have changed). changed names the PINs set or removed.
func (s *Service) mergeAreas(in []PinAreaInput, old []storedArea, rules PinRules) ([]storedArea, []string, error) {
	var c validate.Checks
	kept := map[string]storedArea{}
	for _, a := range old {
		kept[a.Code] = a
	}
	out := make([]storedArea, 0, len(in))
	var changed []string
	for i, a := range in {
		at := "pin_areas." + strconv.Itoa(i)
		st := storedArea{Code: a.Code, Name: a.Name}
		for _, p := range []struct {
			kind  string
			given *string
			prev  string
			dst   *string
		}{{"admin", a.DefaultAdminPIN, kept[a.Code].AdminPIN, &st.AdminPIN}, {"user", a.DefaultUserPIN, kept[a.Code].UserPIN, &st.UserPIN}} {
			field := at + ".default_" + p.kind + "_pin"
			pin, sealed := "", p.prev
			if p.given != nil {
				pin, sealed = *p.given, ""
			} else if p.prev != "" {
				var err error
				if pin, err = s.open(p.prev); err != nil {
					return nil, nil, err
				}
			}
			if pin != "" {
				if code, msg := CheckPIN(rules, pin); code != "" {
					c.Add(field, code, msg+" (the type's PIN rules)")
					continue
				}
			}
			if p.given != nil {
				var err error
				if sealed, err = s.seal(pin); err != nil {
					return nil, nil, err
				}
				if pin != "" || p.prev != "" {
					changed = append(changed, a.Code+"."+p.kind)
				}
			}
			*p.dst = sealed
		}
		out = append(out, st)
	}
	for _, a := range old { // an area dropped with its PINs
		if !containsArea(in, a.Code) && (a.AdminPIN != "" || a.UserPIN != "") {
			changed = append(changed, a.Code+".removed")
		}
	}
	return out, changed, c.Err()
}

func containsArea(in []PinAreaInput, code string) bool {
	for _, a := range in {
		if a.Code == code {
			return true
		}
	}
	return false
}

// typeAudit is the audited shape of a device type: the API shape (never a PIN) and,
// when PINs were set or removed, which ones.
func typeAudit(t DeviceType, changed []string) any {
	m := map[string]any{}
	b, _ := json.Marshal(t)
	_ = json.Unmarshal(b, &m)
	if len(changed) > 0 {
		m["default_pins_changed"] = changed
	}
	return m
}

// CreateType adds a device type.
func (s *Service) CreateType(ctx context.Context, in DeviceTypeInput) (DeviceType, error) {
	var c validate.Checks
	checkTypeTexts(&c, &in.Name, &in.Vendor, &in.Model, &in.Description)
	checkAreas(&c, in.PinAreas)
	rules, retries := pick(in.PinRules, DefaultPinRules), pick(in.RetryCounts, DefaultRetryCounts)
	checkRules(&c, rules, retries)
	if err := c.Err(); err != nil {
		return DeviceType{}, err
	}
	areas, changed, err := s.mergeAreas(in.PinAreas, nil, rules)
	if err != nil {
		return DeviceType{}, err
	}
	now := s.now()
	r := typeRow{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Name, NameKey: strings.ToLower(in.Name),
		SearchText: list.SearchText(in.Name, in.Vendor, in.Model, in.Description), Vendor: in.Vendor, Model: in.Model,
		Description: in.Description, PinAreas: encodeJSON(areas), PinMinLength: rules.MinLength, PinMaxLength: rules.MaxLength,
		PinCharset: rules.Charset, AdminRetries: retries.Admin, UserRetries: retries.User, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.tx(ctx, func(ctx context.Context) error {
		if taken, err := nameTaken[typeRow](s.store, ctx, r.Name, r.ID); err != nil || taken {
			return firstErr(err, errTypeNameTaken)
		}
		if err := insertRow(s.store, ctx, &r, errTypeNameTaken); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourceType, ResourceID: r.ID,
			ResourceName: r.Name, After: typeAudit(r.toAPI(), changed)})
	})
	if err != nil {
		return DeviceType{}, err
	}
	return r.toAPI(), nil
}

// UpdateType changes a device type, guarded by the version the client saw. Kept default
// PINs must satisfy changed rules.
func (s *Service) UpdateType(ctx context.Context, id string, in DeviceTypePatch) (DeviceType, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	checkTypeTexts(&c, in.Name, in.Vendor, in.Model, in.Description)
	if in.PinAreas != nil {
		checkAreas(&c, *in.PinAreas)
	}
	if err := c.Err(); err != nil {
		return DeviceType{}, err
	}
	var out DeviceType
	err := s.tx(ctx, func(ctx context.Context) error {
		r, err := getRow[typeRow](s.store, ctx, id, "device type", true)
		if err != nil {
			return err
		}
		before := r.toAPI()
		if r.Version != in.Version {
			return apperr.Conflict(before)
		}
		fields, changed, err := s.typeFields(ctx, &r, in)
		if err != nil {
			return err
		}
		fields["version"], fields["updated_at"] = r.Version+1, s.now()
		ok, err := updateRow[typeRow](s.store, ctx, id, in.Version, fields, errTypeNameTaken)
		if err != nil || !ok {
			return firstErr(err, apperr.Conflict(before))
		}
		if r, err = getRow[typeRow](s.store, ctx, id, "device type", false); err != nil {
			return err
		}
		out = r.toAPI()
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourceType, ResourceID: id,
			ResourceName: out.Name, Before: typeAudit(before, nil), After: typeAudit(out, changed)})
	})
	return out, err
}

// typeFields validates a patch against the stored row r and returns the columns it sets.
func (s *Service) typeFields(ctx context.Context, r *typeRow, in DeviceTypePatch) (map[string]any, []string, error) {
	fields := map[string]any{}
	rules, retries := pick(in.PinRules, r.rules()), pick(in.RetryCounts, RetryCounts{Admin: r.AdminRetries, User: r.UserRetries})
	var c validate.Checks
	checkRules(&c, rules, retries)
	if err := c.Err(); err != nil {
		return nil, nil, err
	}
	areasIn := make([]PinAreaInput, 0)
	if in.PinAreas != nil {
		areasIn = *in.PinAreas
	} else {
		for _, a := range r.areas() { // unchanged areas: their kept PINs meet the (new) rules
			areasIn = append(areasIn, PinAreaInput{Code: a.Code, Name: a.Name})
		}
	}
	areas, changed, err := s.mergeAreas(areasIn, r.areas(), rules)
	if err != nil {
		return nil, nil, err
	}
	name, vendor, model, desc := pick(in.Name, r.Name), pick(in.Vendor, r.Vendor), pick(in.Model, r.Model), pick(in.Description, r.Description)
	if in.Name != nil {
		if taken, err := nameTaken[typeRow](s.store, ctx, name, r.ID); err != nil || taken {
			return nil, nil, firstErr(err, errTypeNameTaken)
		}
	}
	fields["name"], fields["name_key"], fields["vendor"], fields["model"], fields["description"] =
		name, strings.ToLower(name), vendor, model, desc
	fields["search_text"] = list.SearchText(name, vendor, model, desc)
	fields["pin_areas"] = encodeJSON(areas)
	fields["pin_min_length"], fields["pin_max_length"], fields["pin_charset"] = rules.MinLength, rules.MaxLength, rules.Charset
	fields["admin_retries"], fields["user_retries"] = retries.Admin, retries.User
	return fields, changed, nil
}

// DeleteType removes a device type.
func (s *Service) DeleteType(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.deleteType(ctx, id) })
}

func (s *Service) deleteType(ctx context.Context, id string) error {
	r, err := getRow[typeRow](s.store, ctx, id, "device type", true)
	if err != nil {
		return err
	}
	if err := deleteRow[typeRow](s.store, ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: ResourceType, ResourceID: id,
		ResourceName: r.Name, Before: typeAudit(r.toAPI(), nil)})
}

// BulkDeleteTypes deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDeleteTypes(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deleteType)
}
