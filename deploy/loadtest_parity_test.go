package deploy

import (
	"testing"

	run "google.golang.org/api/run/v1"

	"github.com/nezame/nezame/deploy/loadtest"
)

// The load harness runs the instances as production does: the GOMEMLIMIT and GOGC of service.yaml, and at
// most its containerConcurrency requests in flight on one instance (Cloud Run's front end holds
// the rest). Its memory figures mean something only while these agree.
func TestLoadtestRunsInstancesAsProduction(t *testing.T) {
	var svc run.Service
	if err := decodeStrictYAML(repoFile(t, "deploy/cloudrun/service.yaml"), &svc); err != nil {
		t.Fatal(err)
	}
	spec := svc.Spec.Template.Spec
	if int(spec.ContainerConcurrency) != loadtest.ProductionConcurrency {
		t.Errorf("service.yaml containerConcurrency %d, loadtest.ProductionConcurrency %d", spec.ContainerConcurrency, loadtest.ProductionConcurrency)
	}
	env := map[string]string{}
	for _, e := range spec.Containers[0].Env {
		env[e.Name] = e.Value
	}
	if env["GOMEMLIMIT"] != loadtest.ProductionGoMemLimit || env["GOGC"] != loadtest.ProductionGOGC {
		t.Errorf("service.yaml GOMEMLIMIT %q GOGC %q; loadtest runs instances with %q and %q",
			env["GOMEMLIMIT"], env["GOGC"], loadtest.ProductionGoMemLimit, loadtest.ProductionGOGC)
	}
}
