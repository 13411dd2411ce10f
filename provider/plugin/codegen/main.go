// Command codegen writes the Python and Go SDKs of the cmf provider plugin from its schema.
//
//	go run . -schema schema.json -out ../../../sdk
//
// `pulumi package gen-sdk` delegates generation to language plugins (pulumi-language-python, -go),
// which cannot be obtained everywhere; the generators themselves live in pkg/v3/codegen, so this
// calls them directly, exactly as those plugins do.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The tool name generated files name in their "do not edit" header.
const tool = "pulumi-cmf codegen"

func main() {
	schemaPath := flag.String("schema", "", "the provider's schema (JSON), as `pulumi package get-schema cmf` prints it")
	out := flag.String("out", "", "the folder receiving python/ and go/")
	flag.Parse()
	if *schemaPath == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: codegen -schema <schema.json> -out <sdk folder>")
		os.Exit(2)
	}
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "codegen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	generators := []struct {
		dir      string
		generate func(*schema.Package) (map[string][]byte, error)
	}{
		{"python", func(pkg *schema.Package) (map[string][]byte, error) {
			return python.GeneratePackage(tool, pkg, nil, nil)
		}},
		{"go", func(pkg *schema.Package) (map[string][]byte, error) {
			files, err := gogen.GeneratePackage(tool, pkg, nil)
			if err != nil {
				return nil, err
			}
			goMod, err := goModule(spec)
			if err != nil {
				return nil, err
			}
			files["go.mod"] = goMod
			return files, nil
		}},
	}
	for _, gen := range generators {
		// Each generator decorates the bound package with its language's settings: bind afresh.
		pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("binding the schema: %w", err)
		}
		if diags.HasErrors() {
			return fmt.Errorf("the schema is invalid: %v", diags)
		}
		files, err := gen.generate(pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", gen.dir, err)
		}
		if err := writeTree(filepath.Join(out, gen.dir), files); err != nil {
			return err
		}
	}
	return nil
}

// goModule is the go.mod of the Go SDK (the generator writes only packages): the module holding the
// import base path, requiring the Pulumi Go SDK this tool itself is built with, so that the two never
// drift apart.
func goModule(spec schema.PackageSpec) ([]byte, error) {
	var goInfo struct {
		ImportBasePath string `json:"importBasePath"`
	}
	if err := json.Unmarshal(spec.Language["go"], &goInfo); err != nil || goInfo.ImportBasePath == "" {
		return nil, fmt.Errorf("the schema has no language.go.importBasePath")
	}
	module := strings.TrimSuffix(goInfo.ImportBasePath, "/"+spec.Name)
	if module == goInfo.ImportBasePath {
		return nil, fmt.Errorf("importBasePath %q does not end with /%s", goInfo.ImportBasePath, spec.Name)
	}
	sdkVersion := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/pulumi/pulumi/sdk/v3" {
				sdkVersion = dep.Version
			}
		}
	}
	if sdkVersion == "" {
		return nil, fmt.Errorf("cannot tell which github.com/pulumi/pulumi/sdk/v3 this tool is built with")
	}
	return []byte(fmt.Sprintf("module %s\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n", module, sdkVersion)), nil
}

// writeTree replaces dir with exactly the generated files, so that a type or resource removed from
// the schema disappears from the SDK too.
func writeTree(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// noPackages is the loader for a schema that references no other package (only pulumi.json's
// built-in types): asked for one, it says which, so that a future reference fails loudly.
type noPackages struct{}

func (noPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the cmf schema references package %q, which this generator does not load", pkg)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (noPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the cmf schema references package %q, which this generator does not load", pkg)
}

func (l noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}
