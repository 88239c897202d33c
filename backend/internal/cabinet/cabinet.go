// Package cabinet is the client cabinet (SPEC §7, seed 000): the members of an integrated
// system's owner group see its request statistics, read its parameters and change the
// ones the administrator opened to them, list its certificates and make new ones where
// allowed, and see the services it may use. It owns no tables: it is a narrow, checked
// view over the system and stats features for people who are not administrators.
package cabinet

import (
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/system"
)

// System is a system as its client sees it: no owner group, no webhooks.
type System struct {
	ID               string               `json:"id"`
	Name             string               `json:"name"`
	Description      string               `json:"description"`
	Enabled          bool                 `json:"enabled"`
	SettingsTexts    system.SettingsTexts `json:"settings_texts"`
	AllowedServices  []string             `json:"allowed_services"`
	ClientEditable   []string             `json:"client_editable"`
	ClientMayIssue   bool                 `json:"client_may_issue"`
	CertificateCount int64                `json:"certificate_count"`
	Version          int                  `json:"version"`
	UpdatedAt        time.Time            `json:"updated_at"`
} //	@name	CabinetSystem

// Systems is the list of the caller's systems (a person owns few: no paging).
type Systems struct {
	Items []System `json:"items"`
	Total int      `json:"total"`
} //	@name	CabinetSystems

// Patch changes the parameters the administrator opened to the cabinet; absent fields
// stay as they are.
type Patch struct {
	Version       int                   `json:"version"`
	Description   *string               `json:"description" validate:"optional"`
	SettingsTexts *system.SettingsTexts `json:"settings_texts" validate:"optional"`
} //	@name	CabinetPatch

// CertificateInput asks for a certificate for a key pair made in the client's browser.
type CertificateInput struct {
	CSR          string `json:"csr"`
	ValidityDays int    `json:"validity_days" validate:"optional"`
} //	@name	CabinetCertificateInput

func view(s system.System) System {
	return System{ID: s.ID, Name: s.Name, Description: s.Description, Enabled: s.Enabled, SettingsTexts: s.SettingsTexts,
		AllowedServices: s.AllowedServices, ClientEditable: s.ClientEditable, ClientMayIssue: s.ClientMayIssue,
		CertificateCount: s.CertificateCount, Version: s.Version, UpdatedAt: s.UpdatedAt}
}

var (
	errNotEditable = func(field string) *apperr.Error {
		return &apperr.Error{Kind: apperr.KindDenied, Code: "cabinet.notEditable",
			Message: "The administrator has not opened this parameter to the client cabinet.",
			Fields:  []apperr.FieldError{apperr.Field(field, "notEditable", "cannot be changed in the client cabinet")}}
	}
	errIssueNotAllowed = apperr.New(apperr.KindDenied, "cabinet.issueNotAllowed",
		"The administrator has not allowed this system's clients to make certificates.")
	errMTLSRequired = apperr.New(apperr.KindDenied, "cabinet.mtlsRequired",
		"The client cabinet opens only over mTLS, with your system's client certificate installed in the browser.")
	errNotPerson = apperr.New(apperr.KindDenied, "cabinet.personOnly",
		"The client cabinet is for people: sign in, or use a personal access token.")
)
