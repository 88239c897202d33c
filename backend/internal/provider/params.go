package provider

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"

	"custos/internal/platform/apperr"
)

// ParamsInput are the type-specific parameters as written. Only the keys of the
// provider's type are accepted. On update the given keys are merged over the stored
// ones. Secrets are write-only: absent keeps the stored value, a value replaces it,
// "" clears it (bind_password only: an anonymous bind).
type ParamsInput struct {
	// OpenID types (oidc, oidc_token, oidc_cookie): the IA identifier, required.
	ClientID *string `json:"client_id" validate:"optional"`
	// OpenID types: the client secret, required, write-only.
	ClientSecret *string `json:"client_secret" validate:"optional"`
	// OpenID types and rest: the issuer / service URL, required (http or https).
	ExternalURL *string `json:"external_url" validate:"optional"`
	// ldap: host name or IP address, required.
	Host *string `json:"host" validate:"optional"`
	// ldap: 1–65535; default (or null) 389, or 636 for ssl.
	Port *int `json:"port" validate:"optional"`
	// ldap: bind login (DN, domain\user or user@domain); empty = anonymous.
	BindDN *string `json:"bind_dn" validate:"optional"`
	// ldap: bind password, write-only. Changing host or bind_dn clears the stored one
	// unless a new one is given.
	BindPassword *string `json:"bind_password" validate:"optional"`
	// ldap: default plain.
	Connection *string `json:"connection" enums:"plain,ssl,starttls" validate:"optional"`
	// ldap: default ad.
	ServerType *string `json:"server_type" enums:"ad,openldap" validate:"optional"`
	// ldap: where users are searched, required.
	BaseDN *string `json:"base_dn" validate:"optional"`
	// ldap: an RFC 4515 filter such as (objectClass=person); optional.
	Filter *string `json:"filter" validate:"optional"`
	// ldap: default sAMAccountName (ad) or uid (openldap).
	UsernameAttribute *string `json:"username_attribute" validate:"optional"`
	// ldap: PEM CA certificate(s) trusted for ssl/starttls; empty = the system's roots.
	CACert *string `json:"ca_cert" validate:"optional"`

	given    []string
	problems []apperr.FieldError
} //	@name	ProviderParamsInput

// fields maps each JSON key to its field, for strict per-key decoding.
func (p *ParamsInput) fields() map[string]any {
	return map[string]any{
		"client_id": &p.ClientID, "client_secret": &p.ClientSecret, "external_url": &p.ExternalURL,
		"host": &p.Host, "port": &p.Port, "bind_dn": &p.BindDN, "bind_password": &p.BindPassword,
		"connection": &p.Connection, "server_type": &p.ServerType, "base_dn": &p.BaseDN, "filter": &p.Filter,
		"username_attribute": &p.UsernameAttribute, "ca_cert": &p.CACert,
	}
}

// UnmarshalJSON decodes key by key so an unknown key or a wrong type is reported as
// params.<key> together with the request's other field errors.
func (p *ParamsInput) UnmarshalJSON(b []byte) error {
	*p = ParamsInput{}
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return &json.UnmarshalTypeError{Value: "non-object", Type: reflect.TypeOf(*p)}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fields := p.fields()
	for _, k := range keys {
		dst, ok := fields[k]
		if !ok {
			p.problems = append(p.problems, apperr.Field("params."+k, "unknown", "no provider type has this parameter"))
			continue
		}
		if err := json.Unmarshal(raw[k], dst); err != nil {
			want := "a string"
			if k == "port" {
				want = "a whole number"
			}
			p.problems = append(p.problems, apperr.Field("params."+k, "wrongType", "expected "+want))
			continue
		}
		p.given = append(p.given, k)
	}
	return nil
}

// has reports whether key was given (null counts as given).
func (p *ParamsInput) has(key string) bool { return p != nil && slices.Contains(p.given, key) }

// allowedParams are the keys each type accepts.
func allowedParams(typ string) []string {
	switch {
	case IsOIDC(typ):
		return []string{"client_id", "client_secret", "external_url"}
	case typ == TypeREST:
		return []string{"external_url"}
	case typ == TypeLDAP:
		return []string{"host", "port", "bind_dn", "bind_password", "connection", "server_type", "base_dn",
			"filter", "username_attribute", "ca_cert"}
	}
	return nil
}

// stored are the non-secret parameters as kept in the providers.params column.
type stored struct {
	ClientID          string `json:"client_id,omitempty"`
	ExternalURL       string `json:"external_url,omitempty"`
	Host              string `json:"host,omitempty"`
	Port              int    `json:"port,omitempty"`
	BindDN            string `json:"bind_dn,omitempty"`
	Connection        string `json:"connection,omitempty"`
	ServerType        string `json:"server_type,omitempty"`
	BaseDN            string `json:"base_dn,omitempty"`
	Filter            string `json:"filter,omitempty"`
	UsernameAttribute string `json:"username_attribute,omitempty"`
	CACert            string `json:"ca_cert,omitempty"`
}

// secrets are the plain secrets of a provider while a write is being prepared.
// nil = keep the stored one; "" = clear.
type secrets struct {
	ClientSecret *string
	BindPassword *string
}

func defaultPort(conn string) int {
	if conn == ConnSSL {
		return 636
	}
	return 389
}

func defaultUserAttr(server string) string {
	if server == ServerOpen {
		return "uid"
	}
	return "sAMAccountName"
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// merge applies in over cur for a provider of typ. It fills the LDAP defaults and
// follows a default that the change made stale (port after a connection change,
// username attribute after a server-type change). It reports keys of another type.
func merge(typ string, cur stored, in *ParamsInput) (stored, []apperr.FieldError) {
	var errs []apperr.FieldError
	if in != nil {
		errs = append(errs, in.problems...)
		allowed := allowedParams(typ)
		for _, k := range in.given {
			if !slices.Contains(allowed, k) {
				errs = append(errs, apperr.Field("params."+k, "notForType", "not a parameter of "+typ+" providers"))
			}
		}
	}
	if len(errs) > 0 {
		return cur, errs
	}
	next := cur
	if in != nil {
		set := func(key string, dst *string, v *string) {
			if in.has(key) {
				*dst = str(v)
			}
		}
		set("client_id", &next.ClientID, in.ClientID)
		set("external_url", &next.ExternalURL, in.ExternalURL)
		set("host", &next.Host, in.Host)
		set("bind_dn", &next.BindDN, in.BindDN)
		set("connection", &next.Connection, in.Connection)
		set("server_type", &next.ServerType, in.ServerType)
		set("base_dn", &next.BaseDN, in.BaseDN)
		set("filter", &next.Filter, in.Filter)
		set("username_attribute", &next.UsernameAttribute, in.UsernameAttribute)
		set("ca_cert", &next.CACert, in.CACert)
		if in.has("port") {
			next.Port = 0
			if in.Port != nil {
				next.Port = *in.Port
			}
		}
	}
	if typ == TypeLDAP {
		if next.Connection == "" {
			next.Connection = ConnPlain
		}
		if next.ServerType == "" {
			next.ServerType = ServerAD
		}
		portGiven := in.has("port") && in.Port != nil // null asks for the default
		if !portGiven && (next.Port == 0 || (next.Connection != cur.Connection && next.Port == defaultPort(cur.Connection))) {
			next.Port = defaultPort(next.Connection)
		}
		if !in.has("username_attribute") && (next.UsernameAttribute == "" ||
			(next.ServerType != cur.ServerType && next.UsernameAttribute == defaultUserAttr(cur.ServerType))) {
			next.UsernameAttribute = defaultUserAttr(next.ServerType)
		}
	}
	return next, nil
}

// readParams is the API view of stored parameters: the keys of the type only, and
// the *_set flags instead of secrets.
func readParams(typ string, s stored, clientSecretSet, bindPasswordSet bool) Params {
	sp := func(v string) *string { return &v }
	bp := func(v bool) *bool { return &v }
	switch {
	case IsOIDC(typ):
		return Params{ClientID: sp(s.ClientID), ClientSecretSet: bp(clientSecretSet), ExternalURL: sp(s.ExternalURL)}
	case typ == TypeREST:
		return Params{ExternalURL: sp(s.ExternalURL)}
	case typ == TypeLDAP:
		port := s.Port
		return Params{Host: sp(s.Host), Port: &port, BindDN: sp(s.BindDN), BindPasswordSet: bp(bindPasswordSet),
			Connection: sp(s.Connection), ServerType: sp(s.ServerType), BaseDN: sp(s.BaseDN), Filter: sp(s.Filter),
			UsernameAttribute: sp(s.UsernameAttribute), CACert: sp(s.CACert)}
	}
	return Params{}
}
