"""TypeScript types generated from openapi.yaml by openapi-typescript compile with a usage file."""

import shutil
import subprocess

from tests.tooling import CONTRACT_TOOLS, OPENAPI_YAML, require_npm_tool


def test_generated_types_compile_with_the_usage_file(tmp_path):
    openapi_typescript = require_npm_tool("openapi-typescript")
    tsc = require_npm_tool("tsc")
    for name in ("tsconfig.json", "usage.ts"):
        shutil.copy(CONTRACT_TOOLS / name, tmp_path / name)
    generate = [openapi_typescript, str(OPENAPI_YAML), "-o", str(tmp_path / "claims-api.d.ts")]
    generated = subprocess.run(generate, capture_output=True, text=True, timeout=120)
    assert generated.returncode == 0, generated.stderr

    compiled = subprocess.run(
        [tsc, "-p", str(tmp_path / "tsconfig.json")], capture_output=True, text=True, timeout=300
    )

    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
