package apitest

import (
	"os"
	"testing"

	"custos/internal/testutil"
)

func TestMain(m *testing.M) {
	// The replica test starts this same test binary a second time as another Custos
	// process on the same database (see replicas_test.go).
	if os.Getenv(replicaEnv) != "" {
		os.Exit(runReplica())
	}
	os.Exit(testutil.Main(m))
}
