"""Each question kind mapped to a questionary prompt: the one place that does it.

Navigation is the same at every question. Where the participant types (text, long text,
list items, table cells) he can type one of these words instead of an answer:

    /back  /skip  /help  /flag  /stop

Where he picks from a list (choice, choices, scale, yes/no) the same actions are at the
bottom of the list, under a line. Every prompt uses ``unsafe_ask`` so Ctrl-C reaches the
caller, which has already saved every answer.

All text that comes from an exercise file or from the participant is passed through
``osp_cli.ui.safe.clean`` before it is shown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from osp_cli.ui.safe import clean

if TYPE_CHECKING:
    from osp_cli.exercises.model import Question


class Action(enum.Enum):
    """What the participant can do at a question instead of answering it."""

    BACK = "back"
    SKIP = "skip"
    HELP = "help"
    FLAG = "flag"
    STOP = "stop"


COMMANDS: dict[str, Action] = {f"/{action.value}": action for action in Action}

COMMAND_HELP: tuple[tuple[str, str], ...] = (
    ("/back", "go back to the previous question"),
    ("/skip", "skip this question (only if it is optional)"),
    ("/help", "show more about this question"),
    ("/flag", "mark this question to talk about at your next session"),
    ("/stop", "stop for now: everything you have answered is already saved"),
)

MULTILINE_HINT = "Write as many lines as you like. When you have finished, press Esc, then Enter."


@dataclass(frozen=True)
class Reply:
    """An answer (``value``) or an action instead of one."""

    value: Any = None
    action: Action | None = None


@dataclass(frozen=True)
class Context:
    """What a prompt needs to know besides the question."""

    can_go_back: bool = True
    flagged: bool = False
    on_partial: Callable[[Any], None] | None = None  # saves a list or table as it grows


def as_command(text: str) -> Action | None:
    return COMMANDS.get(text.strip().lower())


def _style() -> Any:
    from osp_cli.ui.prompts import style

    return style()


def text_prompt(
    message: str,
    *,
    default: str = "",
    multiline: bool = False,
    validate: Callable[[str], bool | str] | None = None,
    instruction: str | None = None,
) -> str:
    import questionary

    extra: dict[str, Any] = {"key_bindings": _command_enter()} if multiline else {}
    result = questionary.text(
        clean(message, multiline=False),
        default=default,
        multiline=multiline,
        validate=validate,
        instruction=instruction,
        qmark=">",
        style=_style(),
        **extra,
    ).unsafe_ask()
    from osp_cli.ui.prompts import from_terminal

    return from_terminal(result)


def _command_enter() -> Any:
    """In a multi-line answer, Enter after a lone command (such as /back) sends it."""
    from prompt_toolkit.application.current import get_app
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @Condition
    def typed_a_command() -> bool:
        return as_command(get_app().current_buffer.text) is not None

    @bindings.add("enter", filter=typed_a_command)
    def _send(event: Any) -> None:
        event.current_buffer.validate_and_handle()

    return bindings


def _action_choices(question: Question, context: Context) -> list[Any]:
    import questionary

    items: list[Any] = [questionary.Separator("  ----------")]
    if context.can_go_back:
        items.append(questionary.Choice("Go back to the previous question", Action.BACK))
    if not question.required:
        items.append(questionary.Choice("Skip this question", Action.SKIP))
    if question.help:
        items.append(questionary.Choice("Show help for this question", Action.HELP))
    flag_title = (
        "Remove the flag from this question"
        if context.flagged
        else "Flag this to talk about at my next session"
    )
    items.append(questionary.Choice(flag_title, Action.FLAG))
    items.append(questionary.Choice("Stop for now (everything is saved)", Action.STOP))
    return items


def _select(
    message: str, options: list[tuple[str, Any]], default: Any, context: Context, question: Question
) -> Reply:
    import questionary

    choices = [questionary.Choice(clean(title, multiline=False), value) for title, value in options]
    pointed = next((c for c in choices if default is not None and c.value == default), None)
    result = questionary.select(
        clean(message, multiline=False),
        choices=[*choices, *_action_choices(question, context)],
        default=pointed,
        instruction="(use the arrow keys, then Enter)",
        qmark=">",
        style=_style(),
    ).unsafe_ask()
    if isinstance(result, Action):
        return Reply(action=result)
    return Reply(value=result)


# --- the eight kinds -----------------------------------------------------------------


def _validator(question: Question, convert: Callable[[str], Any]) -> Callable[[str], bool | str]:
    from osp_cli.exercises.model import validate_answer

    def check(text: str) -> bool | str:
        if as_command(text):
            return True
        problem = validate_answer(question, convert(text))
        if problem and not text.strip():
            return problem + " Or type /help, /back or /stop."
        return problem or True

    return check


def _blank_is_none(text: str) -> str | None:
    return text if text.strip() else None


def ask_text(question: Question, default: Any, context: Context) -> Reply:
    from osp_cli.exercises.model import Kind

    multiline = question.kind is Kind.LONG_TEXT
    typed = text_prompt(
        question.prompt,
        default=default if isinstance(default, str) else "",
        multiline=multiline,
        validate=_validator(question, _blank_is_none),
        instruction="(Esc then Enter to finish)" if multiline else None,
    )
    action = as_command(typed)
    if action:
        return Reply(action=action)
    return Reply(value=typed.rstrip() if typed.strip() else None)


def ask_choice(question: Question, default: Any, context: Context) -> Reply:
    options = [(choice, choice) for choice in question.choices]
    return _select(question.prompt, options, default, context, question)


def ask_choices(question: Question, default: Any, context: Context) -> Reply:
    import questionary

    from osp_cli.exercises.model import validate_answer

    ticked = set(default) if isinstance(default, list | tuple) else set()
    choices = [
        questionary.Choice(clean(choice, multiline=False), choice, checked=choice in ticked)
        for choice in question.choices
    ]

    def check(values: list[Any]) -> bool | str:
        actions = [v for v in values if isinstance(v, Action)]
        if len(actions) > 1:
            return "Please tick only one of the actions under the line."
        if actions:
            return True
        problem = validate_answer(question, list(values) or None)
        if problem:
            return f"{problem} Tick with Space, then press Enter (the same for the choices below)."
        return True

    result = questionary.checkbox(
        clean(question.prompt, multiline=False),
        choices=[*choices, *_action_choices(question, context)],
        validate=check,
        instruction="(arrow keys to move, Space to tick or untick, Enter when done)",
        qmark=">",
        style=_style(),
    ).unsafe_ask()
    values = list(result or [])
    actions = [v for v in values if isinstance(v, Action)]
    if actions:
        return Reply(action=actions[0])
    return Reply(value=values or None)


def scale_title(question: Question, value: int) -> str:
    label = question.label_for(value)
    return f"{value}  ({label})" if label else str(value)


def ask_scale(question: Question, default: Any, context: Context) -> Reply:
    assert question.min is not None and question.max is not None
    options = [(scale_title(question, n), n) for n in range(question.min, question.max + 1)]
    low, high = question.label_for(question.min), question.label_for(question.max)
    message = question.prompt
    if low and high:
        message += f"  ({question.min} = {low}, {question.max} = {high})"
    pointed = default if isinstance(default, int) and not isinstance(default, bool) else None
    return _select(message, options, pointed, context, question)


def ask_yes_no(question: Question, default: Any, context: Context) -> Reply:
    pointed = default if isinstance(default, bool) else None
    return _select(question.prompt, [("Yes", True), ("No", False)], pointed, context, question)


def _list_item_check(items: list[str], low: int, keeping: bool) -> Callable[[str], bool | str]:
    def check(text: str) -> bool | str:
        if as_command(text) or text.strip() or keeping or len(items) >= low:
            return True
        return f"Please give at least {low}. Or type /help, /back or /stop."

    return check


def ask_list(question: Question, default: Any, context: Context) -> Reply:
    """Items one at a time; a blank item finishes. Earlier items come back as defaults."""
    from osp_cli.ui.console import console

    earlier = [str(item) for item in default] if isinstance(default, list | tuple) else []
    low = question.min or 0
    high = question.max or 20
    noun = clean(question.item_prompt or "Item", multiline=False)
    out = console()
    if earlier:
        out.print(
            "Your earlier items are filled in. Press Enter to keep one, or change it. "
            "Delete all of an item's text to remove it.",
            markup=False,
        )
    out.print(
        f"Add one at a time. When you have finished, leave it blank and press Enter"
        f" (at least {low}, at most {high}).",
        markup=False,
        style="dim",
    )
    items: list[str] = []
    index = 0
    while len(items) < high:
        keeping = index < len(earlier)
        message = f"{noun} {len(items) + 1}:"

        typed = text_prompt(
            message,
            default=earlier[index] if keeping else "",
            validate=_list_item_check(items, low, keeping),
        )
        action = as_command(typed)
        if action:
            return Reply(action=action)
        index += 1
        if typed.strip():
            items.append(typed.strip())
            if context.on_partial is not None:
                context.on_partial(list(items))
        elif not keeping:
            break
    return Reply(value=items or None)


def ask_table(question: Question, default: Any, context: Context) -> Reply:
    """Row by row, column by column; each cell says which row and column it is."""
    from osp_cli.ui.console import console

    earlier = default if isinstance(default, dict) else {}
    table: dict[str, dict[str, str]] = {
        row: dict(earlier.get(row) or {}) for row in question.rows if earlier.get(row)
    }
    header = clean(question.row_header or "Row", multiline=False)
    out = console()
    out.print(
        "This is a table. You fill it in one box at a time. A box may be left blank: "
        "just press Enter.",
        markup=False,
        style="dim",
    )
    for r, row in enumerate(question.rows, start=1):
        out.print()
        out.print(
            f"{header} {r} of {len(question.rows)}: {clean(row, multiline=False)}",
            style="bold",
            markup=False,
        )
        for column in question.columns:
            cell = str((table.get(row) or {}).get(column, ""))
            typed = text_prompt(f"{clean(column, multiline=False)}:", default=cell)
            action = as_command(typed)
            if action:
                return Reply(action=action)
            table.setdefault(row, {})[column] = typed.strip()
            if context.on_partial is not None:
                context.on_partial({k: dict(v) for k, v in table.items()})
    from osp_cli.exercises.model import validate_answer

    value = {k: v for k, v in table.items() if any(c for c in v.values())}
    problem = validate_answer(question, value or None)
    if problem:
        out.print(f"{problem} Let's go through the table again.", markup=False)
        return ask_table(question, value, context)
    return Reply(value=value or None)


def ask(question: Question, default: Any, context: Context) -> Reply:
    """Ask one question of any kind."""
    from osp_cli.exercises.model import Kind

    asker: dict[Kind, Callable[[Question, Any, Context], Reply]] = {
        Kind.TEXT: ask_text,
        Kind.LONG_TEXT: ask_text,
        Kind.CHOICE: ask_choice,
        Kind.CHOICES: ask_choices,
        Kind.SCALE: ask_scale,
        Kind.YES_NO: ask_yes_no,
        Kind.LIST: ask_list,
        Kind.TABLE: ask_table,
    }
    return asker[question.kind](question, default, context)


# --- check-ins -----------------------------------------------------------------------

FEELING_LABELS = {0: "calm and settled", 10: "very distressed"}
URGE_LABELS = {0: "no urges at all", 10: "very strong urges"}


def ask_rating(message: str, labels: dict[int, str], default: int | None = None) -> int:
    import questionary

    choices = [
        questionary.Choice(f"{n}  ({labels[n]})" if n in labels else str(n), n)
        for n in range(0, 11)
    ]
    pointed = next((c for c in choices if c.value == default), None)
    result = questionary.select(
        f"{message}  (0 = {labels[0]}, 10 = {labels[10]})",
        choices=choices,
        default=pointed,
        instruction="(use the arrow keys, then Enter)",
        qmark=">",
        style=_style(),
    ).unsafe_ask()
    return int(result)


def ask_checkin() -> tuple[int, int, str]:
    """How upset the participant feels, how strong any urges are, and an optional note."""
    feeling = ask_rating("How upset or distressed do you feel right now?", FEELING_LABELS)
    urge = ask_rating("How strong are any urges right now?", URGE_LABELS)
    note = text_prompt("Anything you want to note? (optional, press Enter to leave it)")
    return feeling, urge, note.strip()
