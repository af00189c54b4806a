"""Maps the top-level folders into the ``auditor`` namespace.

The repository keeps ``checks/``, ``baselines/`` and ``report_templates/``
at the top level (they are edited by different people than the engine), but
the installed distribution ships them inside ``auditor`` so a plain,
non-editable ``pip install .`` works from any directory.  Sub-packages are
discovered here so a new check family needs no packaging change.
"""

from setuptools import find_packages, setup

TOP_LEVEL = {
    "auditor": "auditor",
    "auditor.checks": "checks",
    "auditor.baselines": "baselines",
    "auditor.report_templates": "report_templates",
}

packages: list[str] = []
package_dir: dict[str, str] = {}
for package, folder in TOP_LEVEL.items():
    packages.append(package)
    package_dir[package] = folder
    for sub in find_packages(where=folder):
        packages.append(f"{package}.{sub}")
        package_dir[f"{package}.{sub}"] = f"{folder}/{sub.replace('.', '/')}"

setup(packages=packages, package_dir=package_dir)
