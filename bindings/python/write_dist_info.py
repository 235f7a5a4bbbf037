#!/usr/bin/env python3
"""Writes the dist-info of the chunkbuf package for `meson install
-Dinstall_python=true` (a wheel gets its own from meson-python), so that
importlib.metadata.version("chunkbuf") answers and `pip uninstall chunkbuf`
removes the package. The metadata comes from pyproject.toml's [project]
table, the one place it is written down.

    write_dist_info.py --version V --outdir DIR [--pyproject P] --files NAME...

NAME... are the files of the installed package directory chunkbuf/.
"""
import argparse
import os
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))


def metadata(project, version):
    lines = ["Metadata-Version: 2.1", "Name: " + project["name"], "Version: " + version,
             "Summary: " + project["description"]]
    if "requires-python" in project:
        lines.append("Requires-Python: " + project["requires-python"])
    for dep in project.get("dependencies", []):
        lines.append("Requires-Dist: " + dep)
    license = project.get("license")
    if isinstance(license, str):
        lines.append("License-Expression: " + license)
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--pyproject", default=os.path.join(HERE, "..", "..", "pyproject.toml"))
    ap.add_argument("--files", nargs="+", required=True)
    args = ap.parse_args(argv)
    with open(args.pyproject, "rb") as f:
        project = tomllib.load(f)["project"]
    dist_info = "%s-%s.dist-info" % (project["name"], args.version)
    names = sorted({os.path.basename(f) for f in args.files})
    record = ["chunkbuf/%s,," % n for n in names]
    record += ["%s/%s,," % (dist_info, n) for n in ("METADATA", "INSTALLER", "RECORD")]
    outputs = {"METADATA": metadata(project, args.version), "INSTALLER": "meson\n",
               "RECORD": "\n".join(record) + "\n"}
    for name, text in outputs.items():
        with open(os.path.join(args.outdir, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
