// Command plugin-go-test drives the cmf plugin from Go as a user's program does, through the generated
// Go SDK, with an Automation API inline program (no Go language host needed):
//
//	plugin-go-test up|destroy
//
// The environment carries the sandbox (PULUMI_HOME, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE), the
// emulator (CMF_TEST_URL, CMF_TEST_TOKEN) and PATH with pulumi and pulumi-resource-cmf. It prints one
// JSON line: the change summary and the stack outputs.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi-cmf/pulumi-cmf/sdk/go/cmf"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func program(ctx *pulumi.Context) error {
	env, err := cmf.NewEnvironment(ctx, "go-env", &cmf.EnvironmentArgs{
		Name:                pulumi.String("go-prod"),
		KubernetesNamespace: pulumi.String("flink-go"),
	})
	if err != nil {
		return err
	}
	app, err := cmf.NewApplication(ctx, "orders", &cmf.ApplicationArgs{
		Environment: env.Name,
		Spec: pulumi.Map{
			"image":          pulumi.String("confluentinc/cp-flink:1.19.3-cp2"),
			"flinkVersion":   pulumi.String("v1_19"),
			"serviceAccount": pulumi.String("flink"),
			"jobManager":     pulumi.Map{"resource": pulumi.Map{"cpu": pulumi.Int(1), "memory": pulumi.String("1024m")}},
			"taskManager":    pulumi.Map{"resource": pulumi.Map{"cpu": pulumi.Int(1), "memory": pulumi.String("1024m")}},
			"job": pulumi.Map{
				"jarURI":      pulumi.String("local:///opt/flink/examples/streaming/StateMachineExample.jar"),
				"parallelism": pulumi.Int(2),
				"state":       pulumi.String("running"),
				"upgradeMode": pulumi.String("stateless"),
			},
		},
	}, pulumi.Timeouts(&pulumi.CustomTimeouts{Create: "2m", Update: "2m", Delete: "2m"}))
	if err != nil {
		return err
	}
	ctx.Export("jobState", app.Status.MapIndex(pulumi.String("jobState")))
	ctx.Export("applicationId", app.ID())
	return nil
}

func run(action string) (map[string]any, error) {
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "cmf-go", program,
		auto.Project(workspace.Project{
			Name:    "cmf-go",
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: os.Getenv("PULUMI_BACKEND_URL")},
		}))
	if err != nil {
		return nil, err
	}
	if err := stack.SetConfig(ctx, "cmf:url", auto.ConfigValue{Value: os.Getenv("CMF_TEST_URL")}); err != nil {
		return nil, err
	}
	if err := stack.SetConfig(ctx, "cmf:token", auto.ConfigValue{Value: os.Getenv("CMF_TEST_TOKEN"), Secret: true}); err != nil {
		return nil, err
	}
	switch action {
	case "up":
		res, err := stack.Up(ctx)
		if err != nil {
			return nil, err
		}
		outputs := map[string]any{}
		for key, value := range res.Outputs {
			outputs[key] = value.Value
		}
		return map[string]any{"changes": res.Summary.ResourceChanges, "outputs": outputs}, nil
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.Remove())
		if err != nil {
			return nil, err
		}
		return map[string]any{"changes": res.Summary.ResourceChanges}, nil
	}
	return nil, fmt.Errorf("unknown action %q (up, destroy)", action)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: plugin-go-test up|destroy")
		os.Exit(2)
	}
	result, err := run(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
}
