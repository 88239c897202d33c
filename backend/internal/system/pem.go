package system

import (
	"crypto/x509"
	"strings"
)

// serialHex is a certificate's serial as lower-case hex.
func serialHex(c *x509.Certificate) string { return strings.ToLower(c.SerialNumber.Text(16)) }
