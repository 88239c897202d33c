package device

import (
	"regexp"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// PIN character sets.
const (
	CharsetDigits = "digits" // 0-9
	CharsetAlnum  = "alnum"  // latin letters and digits
	CharsetAny    = "any"    // any printable character
)

// Limits of a device type.
const (
	maxPinAreas    = 8
	maxAreaCode    = 32
	maxAreaName    = 100
	maxVendorModel = 200
	// PINs: PKCS#11 tokens take 4..32 as a rule; 64 leaves room for unusual ones.
	minPinLength = 4
	maxPinLength = 64
	maxRetries   = 100
)

// Defaults of a device type's rules when the request names none.
var (
	DefaultPinRules    = PinRules{MinLength: 6, MaxLength: 32, Charset: CharsetAny}
	DefaultRetryCounts = RetryCounts{Admin: 10, User: 10}
)

// PinArea is one PIN area of a device (PKI, GOST on JaCarta); its default PINs are
// write-only and answered only as whether they are set.
type PinArea struct {
	Code               string `json:"code" example:"pki"`
	Name               string `json:"name" example:"PKI"`
	HasDefaultAdminPIN bool   `json:"has_default_admin_pin"`
	HasDefaultUserPIN  bool   `json:"has_default_user_pin"`
} //	@name	DevicePinArea

// PinAreaInput names a PIN area and, write-only, its default PINs. On a change, an
// absent (null) PIN keeps the one stored for the same code, "" removes it.
type PinAreaInput struct {
	Code            string  `json:"code" example:"pki"`
	Name            string  `json:"name" example:"PKI"`
	DefaultAdminPIN *string `json:"default_admin_pin" validate:"optional" extensions:"x-nullable"`
	DefaultUserPIN  *string `json:"default_user_pin" validate:"optional" extensions:"x-nullable"`
} //	@name	DevicePinAreaInput

// PinRules are what a PIN of the type must satisfy (default PINs included).
type PinRules struct {
	MinLength int    `json:"min_length" example:"6"`
	MaxLength int    `json:"max_length" example:"32"`
	Charset   string `json:"charset" enums:"digits,alnum,any"`
} //	@name	DevicePinRules

// RetryCounts are how many wrong PINs the device takes before it locks the PIN.
type RetryCounts struct {
	Admin int `json:"admin" example:"10"`
	User  int `json:"user" example:"10"`
} //	@name	DeviceRetryCounts

// DeviceType is the API shape of a device type (Конфигурация > Типы устройств).
type DeviceType struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Vendor      string      `json:"vendor"`
	Model       string      `json:"model"`
	Description string      `json:"description"`
	PinAreas    []PinArea   `json:"pin_areas"`
	PinRules    PinRules    `json:"pin_rules"`
	RetryCounts RetryCounts `json:"retry_counts"`
	Version     int         `json:"version"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
} //	@name	DeviceType

// DeviceTypeInput creates a device type.
type DeviceTypeInput struct {
	Name        string         `json:"name"`
	Vendor      string         `json:"vendor" validate:"optional"`
	Model       string         `json:"model" validate:"optional"`
	Description string         `json:"description" validate:"optional"`
	PinAreas    []PinAreaInput `json:"pin_areas"`
	PinRules    *PinRules      `json:"pin_rules" validate:"optional"`
	RetryCounts *RetryCounts   `json:"retry_counts" validate:"optional"`
} //	@name	DeviceTypeInput

// DeviceTypePatch changes a device type; absent fields stay. pin_areas replaces the list.
type DeviceTypePatch struct {
	Version     int             `json:"version"`
	Name        *string         `json:"name" validate:"optional"`
	Vendor      *string         `json:"vendor" validate:"optional"`
	Model       *string         `json:"model" validate:"optional"`
	Description *string         `json:"description" validate:"optional"`
	PinAreas    *[]PinAreaInput `json:"pin_areas" validate:"optional"`
	PinRules    *PinRules       `json:"pin_rules" validate:"optional"`
	RetryCounts *RetryCounts    `json:"retry_counts" validate:"optional"`
} //	@name	DeviceTypePatch

// TypeSpec is the list whitelist of device types.
var TypeSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"name":       {Column: "name"},
		"vendor":     {Column: "vendor"},
		"created_at": {Column: "created_at", Type: list.Time},
		"updated_at": {Column: "updated_at", Type: list.Time},
	},
	SearchColumn: "search_text", DefaultSort: "name", DefaultOrder: "asc",
}

var errTypeNameTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "deviceType.nameTaken",
	Message: "Another device type already has this name.",
	Fields:  []apperr.FieldError{apperr.Field("name", "taken", "is already used by another device type")}}

var areaCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkRules validates PIN rules and retry counts.
func checkRules(c *validate.Checks, r PinRules, n RetryCounts) {
	lim := strconv.Itoa(minPinLength) + ".." + strconv.Itoa(maxPinLength)
	if r.MinLength < minPinLength || r.MinLength > maxPinLength {
		c.Add("pin_rules.min_length", "outOfRange", "must be "+lim)
	}
	if r.MaxLength < minPinLength || r.MaxLength > maxPinLength {
		c.Add("pin_rules.max_length", "outOfRange", "must be "+lim)
	} else if r.MaxLength < r.MinLength {
		c.Add("pin_rules.max_length", "belowMin", "must not be below min_length")
	}
	c.OneOf("pin_rules.charset", r.Charset, CharsetDigits, CharsetAlnum, CharsetAny)
	if n.Admin < 1 || n.Admin > maxRetries {
		c.Add("retry_counts.admin", "outOfRange", "must be 1.."+strconv.Itoa(maxRetries))
	}
	if n.User < 1 || n.User > maxRetries {
		c.Add("retry_counts.user", "outOfRange", "must be 1.."+strconv.Itoa(maxRetries))
	}
}

// CheckPIN says why pin breaks rules ("" when it does not): the code of the field error.
func CheckPIN(r PinRules, pin string) (code, msg string) {
	n := utf8.RuneCountInString(pin)
	if !utf8.ValidString(pin) {
		return "invalidFormat", "is not valid UTF-8"
	}
	if n < r.MinLength || n > r.MaxLength {
		return "length", "must be " + strconv.Itoa(r.MinLength) + ".." + strconv.Itoa(r.MaxLength) + " characters"
	}
	for _, ch := range pin {
		switch {
		case unicode.IsControl(ch):
			return "charset", "must not contain control characters"
		case r.Charset == CharsetDigits && (ch < '0' || ch > '9'):
			return "charset", "may hold digits only"
		case r.Charset == CharsetAlnum && !isAlnum(ch):
			return "charset", "may hold latin letters and digits only"
		}
	}
	return "", ""
}

func isAlnum(ch rune) bool {
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
}

// checkAreas validates the PIN areas' codes and names (their PINs are checked against
// the rules once the kept ones are known).
func checkAreas(c *validate.Checks, areas []PinAreaInput) {
	if len(areas) == 0 {
		c.Add("pin_areas", "required", "name at least one PIN area")
		return
	}
	if len(areas) > maxPinAreas {
		c.Add("pin_areas", "tooMany", "at most "+strconv.Itoa(maxPinAreas)+" PIN areas")
		return
	}
	seen := map[string]bool{}
	for i, a := range areas {
		at := "pin_areas." + strconv.Itoa(i)
		c.Text(at+".code", a.Code, true, maxAreaCode)
		if !c.Has(at+".code") && !areaCodeRe.MatchString(a.Code) {
			c.Add(at+".code", "invalidFormat", "must be a lower-case identifier: a-z, 0-9, '_' (e.g. pki, gost)")
		}
		if seen[a.Code] && !c.Has(at+".code") {
			c.Add(at+".code", "duplicate", "is used by another PIN area")
		}
		seen[a.Code] = true
		c.Text(at+".name", a.Name, true, maxAreaName)
	}
}
