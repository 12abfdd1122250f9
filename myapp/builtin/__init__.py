"""Commands every tool built on the framework has.

The table maps command names to ``module:class``; a module is imported
only when its command runs, as for plugins.
"""

from __future__ import annotations

from typing import Final

#: Built-in command name -> ``module:class`` of its implementation.
BUILTIN_COMMANDS: Final = {
    "bug-report": f"{__name__}.bugreport:BugReport",
    "completion": f"{__name__}.completion:Completion",
    "config path": f"{__name__}.config:ConfigPath",
    "config show": f"{__name__}.config:ConfigShow",
    "help": f"{__name__}.help:Help",
    "hooks init": f"{__name__}.hooks:HooksInit",
    "hooks list": f"{__name__}.hooks:HooksList",
    "hooks run": f"{__name__}.hooks:HooksRun",
    "plugin check": f"{__name__}.plugin:PluginCheck",
    "plugin disable": f"{__name__}.plugin:PluginDisable",
    "plugin enable": f"{__name__}.plugin:PluginEnable",
    "plugin freeze": f"{__name__}.pluginset:PluginFreeze",
    "plugin install": f"{__name__}.pluginset:PluginInstall",
    "plugin list": f"{__name__}.plugin:PluginList",
    "plugin new": f"{__name__}.scaffold:PluginNew",
    "plugin show": f"{__name__}.plugin:PluginShow",
    "plugin sync": f"{__name__}.pluginset:PluginSync",
    "plugin uninstall": f"{__name__}.pluginset:PluginUninstall",
    "shell-init": f"{__name__}.shell:ShellInit",
}
