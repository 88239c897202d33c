package device_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"custos/internal/device"
	"custos/internal/identity"
)

func TestRenderSubject(t *testing.T) {
	t.Parallel()
	u := identity.User{Login: "ipetrov", DisplayName: "Петров, Иван", Email: "",
		ExtraAttributes: map[string]any{"department": "IT", "snils": 12345678901.0, "roles": []any{"a", "b"}},
		Attributes:      map[string]any{"department": "ignored: extra wins", "inn": "7700000000"}}
	got := device.RenderSubject([]device.SubjectRDN{
		{Attr: "CN", Value: "{{display_name}}"},
		{Attr: "UID", Value: "{{ login }}"},
		{Attr: "E", Value: "{{email}}"},
		{Attr: "OU", Value: "{{attr.department}} / {{attr.roles}}"},
		{Attr: "SERIALNUMBER", Value: "{{attr.snils}}"},
		{Attr: "L", Value: "{{attr.inn}}{{attr.missing}}"},
		{Attr: "O", Value: " #Acme+Co "},
		{Attr: "C", Value: "RU"},
	}, u)
	assert.Equal(t, `CN=Петров\, Иван,UID=ipetrov,OU=IT / a\, b,SERIALNUMBER=12345678901,L=7700000000,O=\#Acme\+Co,C=RU`, got.Subject)
	assert.Equal(t, []string{"email", "attr.missing"}, got.EmptyPlaceholders)
	assert.Equal(t, []string{"E"}, got.Omitted, "an RDN that comes out empty is left out")
	assert.Len(t, got.RDNs, 7)
}
