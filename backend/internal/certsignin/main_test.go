package certsignin_test

import (
	"os"
	"testing"

	"custos/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }
