"""Each question kind mapped to a questionary prompt: the one place that does it.

Navigation is the same at every question. Where the participant types (text, long text,
list items, table cells) he can type one of these words instead of an answer:

    /back  /skip  /help  /flag  /stop

Where he picks one thing from a list (choice, scale, yes/no) the same actions are at the
bottom of the list, under a line. Where he ticks several (choices), the list holds only
the answers; after Enter a short menu shows what he ticked and offers the same actions,
so an action never looks like something to tick. Every prompt uses ``unsafe_ask`` so
Ctrl-C reaches the caller, which has already saved every answer.

The question itself is printed by the caller (``views.question_header``) on its own,
wrapped lines; the input line is short (``>``), so a long question never pushes the
typing off an 80-column screen.

All text that comes from an exercise file or from the participant is passed through
``osp_cli.ui.safe.clean`` before it is shown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from osp_cli import limits
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


INLINE_LABEL = 30  # a list item or table cell label longer than this goes on its own line


def show_prompt(message: str, instruction: str | None = None) -> None:
    """A question on its own line(s), bold and wrapped to the screen, as inert text."""
    from osp_cli.ui import safe
    from osp_cli.ui.console import console, plain_mode

    out = console()
    out.print(safe.text(message, "" if plain_mode() else "bold"), end="\n")
    if instruction:
        out.print(safe.text(instruction, "" if plain_mode() else "dim"), end="\n")


def _within(
    limit: int, validate: Callable[[str], bool | str] | None
) -> Callable[[str], bool | str]:
    """``validate``, after refusing text over ``limit`` characters (osp_cli/limits.py)."""

    def check(text: str) -> bool | str:
        problem = limits.too_long(text, limit, "This")
        if problem:
            return problem
        return validate(text) if validate is not None else True

    return check


def text_prompt(
    message: str = "",
    *,
    label: str = "",
    default: str = "",
    multiline: bool = False,
    validate: Callable[[str], bool | str] | None = None,
    instruction: str | None = None,
    limit: int = limits.ANSWER_CHARS,
) -> str:
    """Typed text. ``message`` (and ``instruction``) are printed on their own wrapped
    lines first; the input line shows only ``>`` and, when it is short, ``label``.
    Text over ``limit`` characters is refused with a message and stays in the box."""
    import questionary

    if message:
        show_prompt(message, instruction)
    elif instruction:
        _dim(instruction)
    inline = clean(label, multiline=False)
    if len(inline) > INLINE_LABEL:
        show_prompt(inline)
        inline = ""
    extra: dict[str, Any] = {"key_bindings": _command_enter()} if multiline else {}
    result = questionary.text(
        inline,
        default=default,
        multiline=multiline,
        validate=_within(limit, validate),
        instruction="",  # how to finish is printed above, on its own line
        qmark=">",
        style=_style(),
        **extra,
    ).unsafe_ask()
    from osp_cli.ui.prompts import from_terminal

    return from_terminal(result)


def _dim(value: str) -> None:
    from osp_cli.ui import safe
    from osp_cli.ui.console import console, plain_mode

    console().print(safe.text(value, "" if plain_mode() else "dim"), end="\n")


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


def _action_choices(question: Question, context: Context, *, skip: bool = True) -> list[Any]:
    import questionary

    items: list[Any] = [questionary.Separator("  ----------")]
    if context.can_go_back:
        items.append(questionary.Choice("Go back to the previous question", Action.BACK))
    if skip and not question.required:
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
    options: list[tuple[str, Any]],
    default: Any,
    actions: list[Any],
    *,
    message: str = "",
    instruction: str = "(arrow keys to move, Enter to pick)",
) -> Any:
    """Pick one of ``options`` (exercise text, cleaned here) or one of ``actions``."""
    import questionary

    choices = [questionary.Choice(clean(title, multiline=False), value) for title, value in options]
    pointed = next((c for c in choices if default is not None and c.value == default), None)
    return questionary.select(
        clean(message, multiline=False),
        choices=[*choices, *actions],
        default=pointed,
        instruction=instruction,
        qmark=">",
        style=_style(),
    ).unsafe_ask()


def _pick(
    question: Question, options: list[tuple[str, Any]], default: Any, context: Context
) -> Reply:
    result = _select(options, default, _action_choices(question, context))
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
    """The question is already on screen (``views.question_header``): just a ``>`` line."""
    from osp_cli.exercises.model import Kind

    multiline = question.kind is Kind.LONG_TEXT
    typed = text_prompt(
        default=default if isinstance(default, str) else "",
        multiline=multiline,
        validate=_validator(question, _blank_is_none),
    )
    action = as_command(typed)
    if action:
        return Reply(action=action)
    return Reply(value=typed.rstrip() if typed.strip() else None)


def ask_choice(question: Question, default: Any, context: Context) -> Reply:
    options = [(choice, choice) for choice in question.choices]
    return _pick(question, options, default, context)


CHOICES_HINT = (
    "Move with the arrow keys. Press the Space bar to tick or untick. "
    "Press Enter when you have finished ticking."
)


def ask_choices(question: Question, default: Any, context: Context) -> Reply:
    """Tick any of the answers, then Enter; then a short menu: what was ticked, and the
    actions (back, skip, help, flag, stop). Ticks are kept whatever is chosen."""
    import questionary

    from osp_cli.exercises.model import validate_answer
    from osp_cli.ui import safe
    from osp_cli.ui.console import console

    ticked = [c for c in question.choices if isinstance(default, list | tuple) and c in default]

    def check(values: list[Any]) -> bool | str:
        if not values:
            return True  # the menu after Enter says what to do next
        problem = validate_answer(question, list(values))
        if problem:
            return f"{problem} Press the Space bar to tick or untick."
        return True

    while True:
        result = questionary.checkbox(
            "",
            choices=[
                questionary.Choice(clean(choice, multiline=False), choice, checked=choice in ticked)
                for choice in question.choices
            ],
            validate=check,
            instruction="(Space to tick, Enter when done)",
            qmark=">",
            style=_style(),
        ).unsafe_ask()
        chosen = set(result or [])
        ticked = [c for c in question.choices if c in chosen]
        out = console()
        if ticked:
            line = safe.text("You ticked: ")
            line.append_text(safe.text(", ".join(ticked) + ".", multiline=False))
            out.print(line, end="\n")
            options = [("Yes, that is right: save and carry on", "save")]
            options.append(("No, change what I ticked", "change"))
            message = "Is that right?"
        else:
            out.print(safe.text("You have not ticked anything."), end="\n")
            if question.required:
                low = max(question.min or 1, 1)
                needs = f"at least {_number(low)} answer{'s' if low > 1 else ''} ticked"
                out.print(safe.text(f"This question needs {needs}."), end="\n")
            options = [("Go back to the list to tick (Space bar to tick)", "change")]
            message = "What would you like to do?"
        picked = _select(
            options, None, _action_choices(question, context, skip=not ticked), message=message
        )
        if picked == "save":
            return Reply(value=ticked)
        if isinstance(picked, Action):
            return Reply(action=picked, value=ticked or None)


def scale_title(question: Question, value: int) -> str:
    label = question.label_for(value)
    return f"{value}  ({label})" if label else str(value)


def scale_ends(question: Question) -> str | None:
    """'0 = not at all, 10 = as strong as it gets' when both ends have a label."""
    low, high = question.label_for(question.min or 0), question.label_for(question.max or 0)
    if low and high:
        return f"{question.min} = {low}, {question.max} = {high}"
    return None


def ask_scale(question: Question, default: Any, context: Context) -> Reply:
    assert question.min is not None and question.max is not None
    options = [(scale_title(question, n), n) for n in range(question.min, question.max + 1)]
    pointed = default if isinstance(default, int) and not isinstance(default, bool) else None
    return _pick(question, options, pointed, context)


def ask_yes_no(question: Question, default: Any, context: Context) -> Reply:
    pointed = default if isinstance(default, bool) else None
    return _pick(question, [("Yes", True), ("No", False)], pointed, context)


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def list_needs(question: Question) -> int:
    """How many items a list must have: ``min``, and at least one when it is required."""
    return max(question.min or 0, 1 if question.required else 0)


def list_hint(question: Question) -> str:
    """How to fill in a list, in words, from ``required``, ``min`` and ``max``."""
    low, high = list_needs(question), question.max or 20
    if low:
        first = f"Add one at a time: at least {_number(low)}, up to {_number(high)}."
    else:
        first = f"Add one at a time, up to {_number(high)}."
    return first + " When you have finished, leave it blank and press Enter."


def _list_item_check(items: list[str], low: int, keeping: bool) -> Callable[[str], bool | str]:
    def check(text: str) -> bool | str:
        if as_command(text) or text.strip() or keeping or len(items) >= low:
            return True
        return f"Please add at least {_number(low)}. Or type /help, /back or /stop."

    return check


def ask_list(question: Question, default: Any, context: Context) -> Reply:
    """Items one at a time; a blank item finishes. Earlier items come back as defaults."""
    from osp_cli.ui.console import console

    earlier = [str(item) for item in default] if isinstance(default, list | tuple) else []
    low = list_needs(question)
    high = question.max or 20
    noun = clean(question.item_prompt or "Item", multiline=False)
    out = console()
    if earlier:
        out.print(
            "Your earlier items are filled in. Press Enter to keep one, or change it. "
            "Delete all of an item's text to remove it.",
            markup=False,
        )
    out.print(list_hint(question), markup=False, style="dim")
    items: list[str] = []
    index = 0
    while len(items) < high:
        keeping = index < len(earlier)
        typed = text_prompt(
            label=f"{noun} {len(items) + 1}:",
            default=earlier[index] if keeping else "",
            validate=_list_item_check(items, low, keeping),
            limit=limits.LIST_ITEM_CHARS,
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
            typed = text_prompt(
                label=f"{clean(column, multiline=False)}:",
                default=cell,
                limit=limits.TABLE_CELL_CHARS,
            )
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
    """A 0-10 rating: the question and what the ends mean on their own lines, then a list."""
    show_prompt(message, f"0 = {labels[0]}, 10 = {labels[10]}")
    options = [(f"{n}  ({labels[n]})" if n in labels else str(n), n) for n in range(0, 11)]
    return int(_select(options, default, []))


def ask_checkin() -> tuple[int, int, str]:
    """How upset the participant feels, how strong any urges are, and an optional note."""
    feeling = ask_rating("How upset or distressed do you feel right now?", FEELING_LABELS)
    urge = ask_rating(
        "How strong is any urge to go back to the old online behaviour, right now?",
        URGE_LABELS,
    )
    note = text_prompt(
        "Anything you want to note? (optional, press Enter to leave it)", limit=limits.NOTE_CHARS
    )
    return feeling, urge, note.strip()
