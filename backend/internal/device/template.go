package device

import (
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"strconv"
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Key algorithms of a template. GOST R 34.10-2012 is not offered: Go's crypto cannot
// check a GOST key or signature, and the CA cannot sign one.
var KeyAlgorithms = []string{"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"}

// RDNAttrs maps the subject attributes a template may use to their OIDs.
var RDNAttrs = map[string]asn1.ObjectIdentifier{
	"CN":           {2, 5, 4, 3},
	"SERIALNUMBER": {2, 5, 4, 5},
	"C":            {2, 5, 4, 6},
	"L":            {2, 5, 4, 7},
	"ST":           {2, 5, 4, 8},
	"O":            {2, 5, 4, 10},
	"OU":           {2, 5, 4, 11},
	"E":            {1, 2, 840, 113549, 1, 9, 1},
	"UID":          {0, 9, 2342, 19200300, 100, 1, 1},
}

// rdnOrder is the documented order of RDNAttrs (error messages, swag enums).
var rdnOrder = []string{"CN", "O", "OU", "E", "C", "L", "ST", "SERIALNUMBER", "UID"}

// KeyUsages maps the key usage names a template may ask for (end-entity only).
var KeyUsages = map[string]x509.KeyUsage{
	"digitalSignature": x509.KeyUsageDigitalSignature,
	"nonRepudiation":   x509.KeyUsageContentCommitment,
	"keyEncipherment":  x509.KeyUsageKeyEncipherment,
	"dataEncipherment": x509.KeyUsageDataEncipherment,
	"keyAgreement":     x509.KeyUsageKeyAgreement,
}

// ExtKeyUsages maps the extended key usage names a template may ask for to their OIDs.
var ExtKeyUsages = map[string]asn1.ObjectIdentifier{
	"clientAuth":      {1, 3, 6, 1, 5, 5, 7, 3, 2},
	"serverAuth":      {1, 3, 6, 1, 5, 5, 7, 3, 1},
	"emailProtection": {1, 3, 6, 1, 5, 5, 7, 3, 4},
	"codeSigning":     {1, 3, 6, 1, 5, 5, 7, 3, 3},
	"timeStamping":    {1, 3, 6, 1, 5, 5, 7, 3, 8},
	"smartcardLogon":  {1, 3, 6, 1, 4, 1, 311, 20, 2, 2},
}

// Limits of a template.
const (
	maxValidityDays = 3650
	maxRDNs         = 20
	maxRDNValue     = 500
)

// SubjectRDN is one relative distinguished name of a template's subject; value may hold
// placeholders in double curly braces: login, display_name, email, attr.<code>.
type SubjectRDN struct {
	Attr  string `json:"attr" enums:"CN,O,OU,E,C,L,ST,SERIALNUMBER,UID"`
	Value string `json:"value" example:"Ivan Petrov"`
} //	@name	SubjectRDN

// CertificateTemplate is the API shape of a certificate template.
type CertificateTemplate struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	KeyAlgorithm string       `json:"key_algorithm" enums:"ecdsa-p256,ecdsa-p384,rsa-2048,rsa-3072,rsa-4096"`
	ValidityDays int          `json:"validity_days"`
	Subject      []SubjectRDN `json:"subject"`
	KeyUsages    []string     `json:"key_usages"`
	ExtKeyUsages []string     `json:"extended_key_usages"`
	Qualified    bool         `json:"qualified"`
	Version      int          `json:"version"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
} //	@name	CertificateTemplate

// CertificateTemplateInput creates a certificate template.
type CertificateTemplateInput struct {
	Name         string       `json:"name"`
	Description  string       `json:"description" validate:"optional"`
	KeyAlgorithm string       `json:"key_algorithm" enums:"ecdsa-p256,ecdsa-p384,rsa-2048,rsa-3072,rsa-4096"`
	ValidityDays int          `json:"validity_days"`
	Subject      []SubjectRDN `json:"subject"`
	KeyUsages    []string     `json:"key_usages"`
	ExtKeyUsages []string     `json:"extended_key_usages" validate:"optional"`
	Qualified    bool         `json:"qualified" validate:"optional"`
} //	@name	CertificateTemplateInput

// CertificateTemplatePatch changes a template; absent fields stay, lists are replaced.
type CertificateTemplatePatch struct {
	Version      int           `json:"version"`
	Name         *string       `json:"name" validate:"optional"`
	Description  *string       `json:"description" validate:"optional"`
	KeyAlgorithm *string       `json:"key_algorithm" validate:"optional" enums:"ecdsa-p256,ecdsa-p384,rsa-2048,rsa-3072,rsa-4096"`
	ValidityDays *int          `json:"validity_days" validate:"optional"`
	Subject      *[]SubjectRDN `json:"subject" validate:"optional"`
	KeyUsages    *[]string     `json:"key_usages" validate:"optional"`
	ExtKeyUsages *[]string     `json:"extended_key_usages" validate:"optional"`
	Qualified    *bool         `json:"qualified" validate:"optional"`
} //	@name	CertificateTemplatePatch

// PreviewInput asks which subject a user would get from a (possibly unsaved) subject.
type PreviewInput struct {
	UserID  string       `json:"user_id"`
	Subject []SubjectRDN `json:"subject"`
	// The template form's other fields may come along; they do not change the subject
	// and are not checked here.
	Name         *string   `json:"name" validate:"optional"`
	Description  *string   `json:"description" validate:"optional"`
	KeyAlgorithm *string   `json:"key_algorithm" validate:"optional"`
	ValidityDays *int      `json:"validity_days" validate:"optional"`
	KeyUsages    *[]string `json:"key_usages" validate:"optional"`
	ExtKeyUsages *[]string `json:"extended_key_usages" validate:"optional"`
	Qualified    *bool     `json:"qualified" validate:"optional"`
} //	@name	CertificateTemplatePreviewInput

// Preview is the subject a user would get.
type Preview struct {
	// Subject is the distinguished name (RFC 4514 string, in the template's order); RDNs
	// whose value came out empty are left out.
	Subject string       `json:"subject" example:"CN=Ivan Petrov,O=Example,E=ivan@example.com"`
	RDNs    []SubjectRDN `json:"rdns"`
	// EmptyPlaceholders are the placeholders the user has no value for.
	EmptyPlaceholders []string `json:"empty_placeholders"`
	// Omitted are the attributes left out because their value came out empty.
	Omitted []string `json:"omitted"`
} //	@name	CertificateTemplatePreview

// TemplateSpec is the list whitelist of certificate templates.
var TemplateSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"name":          {Column: "name"},
		"key_algorithm": {Column: "key_algorithm"},
		"validity_days": {Column: "validity_days", Type: list.Int},
		"created_at":    {Column: "created_at", Type: list.Time},
	},
	Filters: map[string]list.FilterField{
		"qualified":     {Column: "qualified", Type: list.Bool},
		"key_algorithm": {Column: "key_algorithm", Type: list.Enum, Values: KeyAlgorithms},
	},
	SearchColumn: "search_text", DefaultSort: "name", DefaultOrder: "asc",
}

var errTemplateNameTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "certificateTemplate.nameTaken",
	Message: "Another certificate template already has this name.",
	Fields:  []apperr.FieldError{apperr.Field("name", "taken", "is already used by another certificate template")}}

func rdnNames() string {
	out := ""
	for i, a := range rdnOrder {
		if i > 0 {
			out += ", "
		}
		out += a
	}
	return out
}

// checkSubject validates the RDNs: known attributes, values that parse, known placeholders.
func checkSubject(c *validate.Checks, rdns []SubjectRDN) {
	if len(rdns) == 0 {
		c.Add("subject", "required", "name at least one RDN")
		return
	}
	if len(rdns) > maxRDNs {
		c.Add("subject", "tooMany", "at most "+strconv.Itoa(maxRDNs)+" RDNs")
		return
	}
	for i, r := range rdns {
		at := "subject." + strconv.Itoa(i)
		if _, ok := RDNAttrs[r.Attr]; !ok {
			c.Add(at+".attr", "unknown", "must be one of "+rdnNames())
		}
		c.Text(at+".value", r.Value, true, maxRDNValue)
		if c.Has(at + ".value") {
			continue
		}
		parts, err := parseValue(r.Value)
		if err != nil {
			c.Add(at+".value", err.code, err.msg)
			continue
		}
		if r.Attr == "C" && !hasPlaceholder(parts) && !isCountry(r.Value) {
			c.Add(at+".value", "invalidFormat", "a country is two latin letters (ISO 3166), e.g. RU")
		}
	}
}

// checkUsages validates key usages (at least one) and extended key usages against the
// closed lists and the key algorithm: an ECDSA key cannot encipher, an RSA key cannot
// agree on keys. Returns both lists deduplicated in request order.
func checkUsages(c *validate.Checks, alg string, ku, eku []string) ([]string, []string) {
	if len(ku) == 0 {
		c.Add("key_usages", "required", "name at least one key usage")
	}
	ecdsa, rsa := alg == "ecdsa-p256" || alg == "ecdsa-p384", len(alg) > 4 && alg[:4] == "rsa-"
	outKU, outEKU := []string{}, []string{}
	for i, u := range ku {
		at := "key_usages." + strconv.Itoa(i)
		switch _, ok := KeyUsages[u]; {
		case !ok:
			c.Add(at, "unknown", "unknown key usage "+u)
		case ecdsa && (u == "keyEncipherment" || u == "dataEncipherment"):
			c.Add(at, "incompatible", u+" needs an RSA key")
		case rsa && u == "keyAgreement":
			c.Add(at, "incompatible", "keyAgreement needs an elliptic-curve key")
		case !slices.Contains(outKU, u):
			outKU = append(outKU, u)
		}
	}
	for i, u := range eku {
		if _, ok := ExtKeyUsages[u]; !ok {
			c.Add("extended_key_usages."+strconv.Itoa(i), "unknown", "unknown extended key usage "+u)
		} else if !slices.Contains(outEKU, u) {
			outEKU = append(outEKU, u)
		}
	}
	return outKU, outEKU
}

func checkAlgorithm(c *validate.Checks, alg string) {
	c.OneOf("key_algorithm", alg, KeyAlgorithms...)
}

func checkValidity(c *validate.Checks, days int) {
	if days < 1 || days > maxValidityDays {
		c.Add("validity_days", "outOfRange", "must be 1.."+strconv.Itoa(maxValidityDays))
	}
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
