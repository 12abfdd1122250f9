"""Greeting styles: an extension point this plugin declares, and its two styles.

Other plugins add styles by registering a class (or an object) with a
``render`` method in the point's namespace, ``myapp.extensions.``
``myapp_plugins_example.greeting_styles``; ``greeting show --style NAME``
uses one by name and ``greeting styles`` lists them all.
"""

from __future__ import annotations

import abc

from myapp import ExtensionPoint


class GreetingStyle(abc.ABC):
    """How a greeting is dressed up; subclassing is optional, a ``render`` method is not."""

    @abc.abstractmethod
    def render(self, greeting: str) -> str:
        """The greeting in this style."""


#: Registered in ``myapp.contracts`` too, so that ``myapp plugin check`` verifies every style.
GREETING_STYLES = ExtensionPoint("myapp_plugins_example.greeting_styles", GreetingStyle)


class Plain(GreetingStyle):
    """The greeting as it is."""

    def render(self, greeting: str) -> str:
        return greeting


class Fancy(GreetingStyle):
    """The greeting with flourishes."""

    def render(self, greeting: str) -> str:
        return f"~*~ {greeting} ~*~"
