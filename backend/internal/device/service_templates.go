package device

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// ListTemplates lists the certificate templates with the list conventions.
func (s *Service) ListTemplates(ctx context.Context, p list.Params) (list.Page[CertificateTemplate], error) {
	page, err := listRows[templateRow](s.store, ctx, p, TemplateSpec)
	return list.Map(page, func(r templateRow) CertificateTemplate { return r.toAPI() }), err
}

// GetTemplate returns one certificate template.
func (s *Service) GetTemplate(ctx context.Context, id string) (CertificateTemplate, error) {
	r, err := getRow[templateRow](s.store, ctx, id, "certificate template", false)
	return r.toAPI(), err
}

// checkCALife refuses a validity beyond the CA's own end (skipped while no CA answers).
func (s *Service) checkCALife(ctx context.Context, c *validate.Checks, days int) {
	if s.ca == nil || c.Has("validity_days") {
		return
	}
	info, err := s.ca.Info(ctx, "")
	if err != nil {
		return
	}
	if left := int(info.NotAfter.Sub(s.now()) / (24 * time.Hour)); days > left {
		c.Add("validity_days", "beyondAuthority", "must not outlive the certificate authority ("+strconv.Itoa(left)+" days left)")
	}
}

// CreateTemplate adds a certificate template.
func (s *Service) CreateTemplate(ctx context.Context, in CertificateTemplateInput) (CertificateTemplate, error) {
	var c validate.Checks
	c.Text("name", in.Name, true, maxName)
	c.Text("description", in.Description, false, maxDescription)
	checkAlgorithm(&c, in.KeyAlgorithm)
	checkValidity(&c, in.ValidityDays)
	s.checkCALife(ctx, &c, in.ValidityDays)
	checkSubject(&c, in.Subject)
	ku, eku := checkUsages(&c, in.KeyAlgorithm, in.KeyUsages, in.ExtKeyUsages)
	if err := c.Err(); err != nil {
		return CertificateTemplate{}, err
	}
	now := s.now()
	r := templateRow{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Name, NameKey: strings.ToLower(in.Name),
		SearchText: list.SearchText(in.Name, in.Description), Description: in.Description, KeyAlgorithm: in.KeyAlgorithm,
		ValidityDays: in.ValidityDays, Subject: encodeJSON(in.Subject), KeyUsages: encodeJSON(ku), ExtKeyUsages: encodeJSON(eku),
		Qualified: in.Qualified, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(ctx context.Context) error {
		if taken, err := nameTaken[templateRow](s.store, ctx, r.Name, r.ID); err != nil || taken {
			return firstErr(err, errTemplateNameTaken)
		}
		if err := insertRow(s.store, ctx, &r, errTemplateNameTaken); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourceTemplate, ResourceID: r.ID,
			ResourceName: r.Name, After: r.toAPI()})
	})
	if err != nil {
		return CertificateTemplate{}, err
	}
	return r.toAPI(), nil
}

// UpdateTemplate changes a template, guarded by the version the client saw. The whole
// result is validated again (usages against a changed algorithm).
func (s *Service) UpdateTemplate(ctx context.Context, id string, in CertificateTemplatePatch) (CertificateTemplate, error) {
	if in.Version < 1 {
		return CertificateTemplate{}, apperr.Invalid(apperr.Field("version", "required", "is required (the version you edited)"))
	}
	var out CertificateTemplate
	err := s.tx(ctx, func(ctx context.Context) error {
		r, err := getRow[templateRow](s.store, ctx, id, "certificate template", true)
		if err != nil {
			return err
		}
		before := r.toAPI()
		if r.Version != in.Version {
			return apperr.Conflict(before)
		}
		next := CertificateTemplateInput{Name: pick(in.Name, before.Name), Description: pick(in.Description, before.Description),
			KeyAlgorithm: pick(in.KeyAlgorithm, before.KeyAlgorithm), ValidityDays: pick(in.ValidityDays, before.ValidityDays),
			Subject: pick(in.Subject, before.Subject), KeyUsages: pick(in.KeyUsages, before.KeyUsages),
			ExtKeyUsages: pick(in.ExtKeyUsages, before.ExtKeyUsages), Qualified: pick(in.Qualified, before.Qualified)}
		var c validate.Checks
		c.Text("name", next.Name, true, maxName)
		c.Text("description", next.Description, false, maxDescription)
		checkAlgorithm(&c, next.KeyAlgorithm)
		checkValidity(&c, next.ValidityDays)
		if in.ValidityDays != nil {
			s.checkCALife(ctx, &c, next.ValidityDays)
		}
		checkSubject(&c, next.Subject)
		ku, eku := checkUsages(&c, next.KeyAlgorithm, next.KeyUsages, next.ExtKeyUsages)
		if err := c.Err(); err != nil {
			return err
		}
		if taken, err := nameTaken[templateRow](s.store, ctx, next.Name, id); err != nil || taken {
			return firstErr(err, errTemplateNameTaken)
		}
		fields := map[string]any{"name": next.Name, "name_key": strings.ToLower(next.Name),
			"search_text": list.SearchText(next.Name, next.Description), "description": next.Description,
			"key_algorithm": next.KeyAlgorithm, "validity_days": next.ValidityDays, "subject": encodeJSON(next.Subject),
			"key_usages": encodeJSON(ku), "ext_key_usages": encodeJSON(eku), "qualified": next.Qualified,
			"version": r.Version + 1, "updated_at": s.now()}
		ok, err := updateRow[templateRow](s.store, ctx, id, in.Version, fields, errTemplateNameTaken)
		if err != nil || !ok {
			return firstErr(err, apperr.Conflict(before))
		}
		if r, err = getRow[templateRow](s.store, ctx, id, "certificate template", false); err != nil {
			return err
		}
		out = r.toAPI()
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourceTemplate, ResourceID: id,
			ResourceName: out.Name, Before: before, After: out})
	})
	return out, err
}

// DeleteTemplate removes a template no usage policy allows.
func (s *Service) DeleteTemplate(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.deleteTemplate(ctx, id) })
}

func (s *Service) deleteTemplate(ctx context.Context, id string) error {
	r, err := getRow[templateRow](s.store, ctx, id, "certificate template", true)
	if err != nil {
		return err
	}
	users, err := s.store.policiesUsing(ctx, id)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		names := make([]string, 0, len(users))
		for _, p := range users {
			names = append(names, "«"+p.Name+"»")
		}
		return &apperr.Error{Kind: apperr.KindConflict, Code: "certificateTemplate.inUse",
			Message: "The template is allowed by the usage policies " + strings.Join(names, ", ") +
				"; take it out of them first.", Current: map[string]any{"policies": users}}
	}
	if err := deleteRow[templateRow](s.store, ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: ResourceTemplate, ResourceID: id,
		ResourceName: r.Name, Before: r.toAPI()})
}

// BulkDeleteTemplates deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDeleteTemplates(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deleteTemplate)
}

// PreviewSubject answers the subject the user would get from the given RDNs.
func (s *Service) PreviewSubject(ctx context.Context, in PreviewInput) (Preview, error) {
	var c validate.Checks
	if in.UserID == "" {
		c.Add("user_id", "required", "is required")
	} else {
		c.UUID("user_id", in.UserID)
	}
	checkSubject(&c, in.Subject)
	if err := c.Err(); err != nil {
		return Preview{}, err
	}
	u, err := s.dir.GetUser(ctx, in.UserID)
	if err != nil {
		if apperr.Is(err, "resource.notFound") {
			return Preview{}, apperr.Invalid(apperr.Field("user_id", "notFound", "no such user"))
		}
		return Preview{}, err
	}
	return RenderSubject(in.Subject, u), nil
}
