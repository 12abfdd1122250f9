"""The commands every tool built on the framework has, as a table: name -> ``module:class``.

The classes live in :mod:`myapp.builtin`; a module is imported only when its
command runs, as for plugins.
"""

from __future__ import annotations

from typing import Final

#: Where the built-in command classes live.
_PACKAGE: Final = f"{__name__.partition('.')[0]}.builtin"

#: Built-in command name -> ``module:class`` of its implementation.
BUILTIN_COMMANDS: Final = {
    "bug-report": f"{_PACKAGE}.bugreport:BugReport",
    "completion": f"{_PACKAGE}.completion:Completion",
    "config path": f"{_PACKAGE}.config:ConfigPath",
    "config show": f"{_PACKAGE}.config:ConfigShow",
    "help": f"{_PACKAGE}.help:Help",
    "hooks init": f"{_PACKAGE}.hooks:HooksInit",
    "hooks list": f"{_PACKAGE}.hooks:HooksList",
    "hooks run": f"{_PACKAGE}.hooks:HooksRun",
    "plugin check": f"{_PACKAGE}.plugin:PluginCheck",
    "plugin disable": f"{_PACKAGE}.plugin:PluginDisable",
    "plugin enable": f"{_PACKAGE}.plugin:PluginEnable",
    "plugin freeze": f"{_PACKAGE}.pluginset:PluginFreeze",
    "plugin install": f"{_PACKAGE}.pluginset:PluginInstall",
    "plugin list": f"{_PACKAGE}.plugin:PluginList",
    "plugin new": f"{_PACKAGE}.scaffold:PluginNew",
    "plugin show": f"{_PACKAGE}.plugin:PluginShow",
    "plugin sync": f"{_PACKAGE}.pluginset:PluginSync",
    "plugin uninstall": f"{_PACKAGE}.pluginset:PluginUninstall",
    "shell-init": f"{_PACKAGE}.shell:ShellInit",
}
