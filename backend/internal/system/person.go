package system

import (
	"context"
	"crypto/x509"
)

// PersonGate lets through the mTLS listener what a person's certificate may reach
// (package certsignin): the certificate check asks it about a request whose certificate
// is no system's, before refusing it.
type PersonGate interface {
	Admits(ctx context.Context, leaf *x509.Certificate, path string) bool
}

// SetPersonGate connects people's certificates (the composition root wires it).
func (s *Service) SetPersonGate(g PersonGate) { s.people = g }
