package provider

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"custos/internal/platform/validate"
)

// Limits of the schema mapping.
const (
	maxMappings = 200
	maxRules    = 1000
	maxSource   = 300
	maxValue    = 500
)

// UserRolesAttr is the access-schema attribute fed by per-system roles.
const UserRolesAttr = "user_roles"

// checkMappings validates the shape of mappings and returns their normalised copy
// (rules never nil). Attribute existence is checked against the schema separately.
func checkMappings(c *validate.Checks, ms []Mapping) []Mapping {
	if len(ms) > maxMappings {
		c.Add("mappings", "tooLong", "at most "+strconv.Itoa(maxMappings)+" mappings")
		return nil
	}
	out := make([]Mapping, 0, len(ms))
	seen := map[string]bool{}
	for i, m := range ms {
		at := "mappings." + strconv.Itoa(i)
		c.Code(at+".attribute", m.Attribute, 100)
		if seen[m.Attribute] && !c.Has(at+".attribute") {
			c.Add(at+".attribute", "duplicate", "this attribute is mapped twice")
		}
		seen[m.Attribute] = true
		c.Text(at+".source", m.Source, false, maxSource)
		if len(m.Rules) > maxRules {
			c.Add(at+".rules", "tooLong", "at most "+strconv.Itoa(maxRules)+" rules")
			continue
		}
		from := map[string]bool{}
		rules := make([]Rule, 0, len(m.Rules))
		for j, r := range m.Rules {
			rt := at + ".rules." + strconv.Itoa(j)
			c.Text(rt+".from", r.From, true, maxValue)
			c.Text(rt+".to", r.To, true, maxValue)
			if from[r.From] && !c.Has(rt+".from") {
				c.Add(rt+".from", "duplicate", "a rule for this provider value exists already")
			}
			from[r.From] = true
			rules = append(rules, r)
		}
		out = append(out, Mapping{Attribute: m.Attribute, Source: m.Source, Rules: rules})
	}
	return out
}

// Claims are what a provider says about a user: ID-token claims, a REST answer, or
// an LDAP entry's attributes (single values as strings, several as lists).
type Claims map[string]any

// MapSpec is what mapping needs to know about a provider and the access schema.
type MapSpec struct {
	Type              string
	ClientID          string
	UsernameAttribute string
	Mappings          []Mapping
	// Schema maps attribute codes to their type (string or list).
	Schema map[string]string
}

// Mapped is the user a provider's claims make, before groups are resolved.
type Mapped struct {
	Login       string
	Email       string
	DisplayName string
	// Roles are the role codes the provider sent for this system
	// (resource_access.<client_id>.roles); they become groups with the same codes.
	Roles           []string
	Attributes      map[string]any
	ExtraAttributes map[string]any
}

// protocolClaims carry no user attribute and are never kept as extra attributes.
var protocolClaims = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "auth_time", "nonce", "azp", "acr",
	"amr", "at_hash", "c_hash", "sid", "typ", "session_state", "scope", "resource_access", "realm_access",
	"allowed-origins", "objectclass", "userpassword", "dn"}

// MapClaims turns claims into a user with the provider's mapping (SPEC §4.3): each
// mapping reads its source, translates the values by the rules (a value without a
// rule passes unchanged) and feeds the schema attribute; a schema attribute without
// a mapping takes the claim of its own name; every claim nothing consumed is kept in
// the extra attributes (soft mapping). Sign-in uses the same function.
func MapClaims(spec MapSpec, claims Claims) Mapped {
	out := Mapped{Attributes: map[string]any{}, ExtraAttributes: map[string]any{}}
	consumed := map[string]bool{}
	take := func(keys ...string) string {
		for _, k := range keys {
			if key, v, ok := lookupKey(claims, k); ok {
				if s := firstString(v); s != "" {
					consumed[strings.ToLower(key)] = true
					return s
				}
			}
		}
		return ""
	}
	if isLDAPType(spec.Type) {
		out.Login = take(spec.UsernameAttribute, "uid", "sAMAccountName")
		out.Email = take("mail", "email")
		out.DisplayName = take("displayName", "cn", "name")
	} else {
		out.Login = take("preferred_username", "login", "username", "email", "sub")
		out.Email = take("email", "mail")
		out.DisplayName = take("name", "display_name", "displayName")
	}
	if spec.ClientID != "" {
		out.Roles = flat(resolve(claims, "resource_access."+spec.ClientID+".roles"))
	}
	mapped := map[string]bool{}
	for _, m := range spec.Mappings {
		mapped[m.Attribute] = true
		src, vals := mappingValues(claims, m)
		consumed[strings.ToLower(strings.Split(src, ".")[0])] = true
		if v, ok := shape(applyRules(vals, m.Rules), spec.Schema[m.Attribute]); ok {
			out.Attributes[m.Attribute] = v
		}
	}
	for code, typ := range spec.Schema {
		if mapped[code] {
			continue
		}
		if key, v, ok := lookupKey(claims, code); ok {
			consumed[strings.ToLower(key)] = true
			if sv, ok := shape(flat(v), typ); ok {
				out.Attributes[code] = sv
			}
		}
	}
	for k, v := range claims {
		lk := strings.ToLower(k)
		if !consumed[lk] && !slices.Contains(protocolClaims, lk) {
			out.ExtraAttributes[k] = v
		}
	}
	return out
}

// mappingValues returns the claim a mapping reads (its source, else the attribute) and
// the values found there, or under resource_access when the claim itself is absent.
func mappingValues(claims Claims, m Mapping) (string, []string) {
	src := m.Source
	if src == "" {
		src = m.Attribute
	}
	if m.Attribute == UserRolesAttr && m.Source == "" {
		return src, systemRoles(claims)
	}
	vals := flat(resolve(claims, src))
	if len(vals) == 0 {
		vals = flat(resolve(claims, "resource_access."+src))
	}
	return src, vals
}

func isLDAPType(t string) bool { return t == TypeLDAP || t == TypeLDAPKerberos }

// applyRules translates each value by the first rule whose from equals it.
func applyRules(vals []string, rules []Rule) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		for _, r := range rules {
			if r.From == v {
				v = r.To
				break
			}
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// shape gives a value the schema type: a list, or the first value for a string.
func shape(vals []string, typ string) (any, bool) {
	if len(vals) == 0 {
		return nil, false
	}
	if typ == "list" {
		return vals, true
	}
	return vals[0], true
}

// systemRoles lists every role of resource_access as "<system>.roles.<role>".
func systemRoles(claims Claims) []string {
	ra, _ := claims["resource_access"].(map[string]any)
	systems := make([]string, 0, len(ra))
	for s := range ra {
		systems = append(systems, s)
	}
	sort.Strings(systems)
	var out []string
	for _, s := range systems {
		for _, r := range flat(resolve(claims, "resource_access."+s+".roles")) {
			out = append(out, s+".roles."+r)
		}
	}
	return out
}

// lookupKey finds a top-level claim, exactly or else ignoring case (LDAP attribute
// names are case-insensitive).
func lookupKey(claims Claims, key string) (string, any, bool) {
	if key == "" {
		return "", nil, false
	}
	if v, ok := claims[key]; ok {
		return key, v, true
	}
	for k, v := range claims {
		if strings.EqualFold(k, key) {
			return k, v, true
		}
	}
	return "", nil, false
}

// resolve reads a dotted path. A segment applied to a list of values keeps the
// values equal to it, so "app.roles.admin" yields "admin" when the role is present.
func resolve(claims Claims, path string) any {
	parts := strings.Split(path, ".")
	_, cur, ok := lookupKey(claims, parts[0])
	if !ok {
		return nil
	}
	for _, p := range parts[1:] {
		switch v := cur.(type) {
		case map[string]any:
			if _, cur, ok = lookupKey(v, p); !ok {
				return nil
			}
		case []any:
			var kept []any
			for _, x := range v {
				if fmt.Sprint(x) == p {
					kept = append(kept, x)
				}
			}
			cur = kept
		case []string:
			if !slices.Contains(v, p) {
				return nil
			}
			cur = []string{p}
		default:
			return nil
		}
	}
	return cur
}

// flat flattens a claim value into strings.
func flat(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return []string{t}
	case []string:
		return t
	case []any:
		var out []string
		for _, x := range t {
			out = append(out, flat(x)...)
		}
		return out
	case map[string]any:
		return nil
	case float64:
		return []string{strconv.FormatFloat(t, 'f', -1, 64)}
	default:
		return []string{fmt.Sprint(t)}
	}
}

func firstString(v any) string {
	if s := flat(v); len(s) > 0 {
		return s[0]
	}
	return ""
}
