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

import questionary
from prompt_toolkit.application.current import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

from osp_cli import limits
from osp_cli.exercises.model import Kind, validate_answer
from osp_cli.ui import safe
from osp_cli.ui.console import console, plain_mode
from osp_cli.ui.prompts import from_terminal, menu_title, plain_menu, plain_ticks, read_line, style
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

MULTILINE_HINT = (
    "Write as many lines as you like. To finish, press Enter on two empty lines in a row "
    "(or press Esc, then Enter)."
)
PLAIN_MULTILINE_HINT = (
    "Write as many lines as you like. To finish, press Enter on two empty lines in a row."
)
KEEP_HINT = "Your earlier answer is filled in. Press Enter to keep it, or Ctrl-U to clear it."
PLAIN_KEEP_HINT = (
    "Press Enter on its own to keep your earlier answer, type a new answer to replace it, "
    "or type /clear to empty it."
)
CLEAR = "/clear"


def multiline_hint() -> str:
    return PLAIN_MULTILINE_HINT if plain_mode() else MULTILINE_HINT


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
    resume: bool = False  # a list or table half done: start at its first empty box
    draft: str | None = None  # typing kept from an interrupted box, for its first empty box


class Typing:
    """What is in the input right now, so Ctrl-C or a closed terminal can keep it as a
    draft (in memory only; the caller saves it encrypted)."""

    text: str = ""


TYPING = Typing()


def as_command(text: str) -> Action | None:
    return COMMANDS.get(text.strip().lower())


def _style() -> Any:
    return style()


INLINE_LABEL = 30  # a list item or table cell label longer than this goes on its own line


def show_prompt(message: str, instruction: str | None = None) -> None:
    """A question on its own line(s), bold and wrapped to the screen, as inert text.
    The instruction is in normal text: it says how to do something, so it must be read."""
    out = console()
    out.print(safe.text(message, "" if plain_mode() else "bold"), end="\n")
    if instruction:
        out.print(safe.text(instruction), end="\n")


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
    extra_keys: Any = None,
) -> str:
    """Typed text. ``message`` (and ``instruction``) are printed on their own wrapped
    lines first; the input line shows only ``>`` and, when it is short, ``label``.
    Text over ``limit`` characters is refused with a message and stays in the box.

    An earlier answer (``default``) is in the input ready to edit, the cursor at its end:
    Enter keeps it and Ctrl-U (or typing /clear) empties it. A multi-line answer ends on
    two empty lines in a row, or with Esc then Enter."""
    if message:
        show_prompt(message, instruction)
    elif instruction:
        _note(instruction)
    inline = clean(label, multiline=False)
    if len(inline) > INLINE_LABEL:
        show_prompt(inline)
        inline = ""

    if plain_mode():
        return _plain_text(inline, default, multiline, _within(limit, validate))

    if default:
        _note(KEEP_HINT)
    TYPING.text = default
    question = questionary.text(
        inline,
        default=default,
        multiline=multiline,
        validate=_within(limit, _with_clear(validate)),
        instruction="",  # how to finish is printed above, on its own line
        qmark=">",
        style=_style(),
        key_bindings=_bindings(multiline, extra_keys, default),
    )
    application = getattr(question, "application", None)
    if application is not None:

        def remember(changed: Any) -> None:
            TYPING.text = changed.text

        application.current_buffer.on_text_changed += remember
    result = question.unsafe_ask()
    TYPING.text = ""

    typed = from_terminal(result)
    if typed.strip().lower() == CLEAR:
        return ""
    return _trim_blank_end(typed) if multiline else typed


def _trim_blank_end(text: str) -> str:
    """A multi-line answer finished with empty lines keeps none of them."""
    return text.rstrip("\n") if text.strip() else text


def _with_clear(
    validate: Callable[[str], bool | str] | None,
) -> Callable[[str], bool | str] | None:
    if validate is None:
        return None

    def check(text: str) -> bool | str:
        if text.strip().lower() == CLEAR:
            return True
        return validate(_trim_blank_end(text))

    return check


def _plain_text(
    label: str,
    default: str,
    multiline: bool,
    validate: Callable[[str], bool | str] | None,
) -> str:
    """Plain mode: the terminal echoes and edits; an earlier answer is shown, not typed."""
    if default:
        line = safe.text("Your earlier answer: ")
        line.append_text(safe.text(default))
        console().print(line, end="\n")
        _note(PLAIN_KEEP_HINT)
    prompt = f"{label} " if label else "> "
    while True:
        lines: list[str] = []
        TYPING.text = ""
        while True:
            typed = read_line(prompt if not lines else "> ")
            if not multiline or (as_command(typed) and not lines):
                lines.append(typed)
                break
            if not typed.strip() and (not lines or lines[-1] == ""):
                break  # Enter on an empty answer, or a second empty line in a row
            lines.append(typed)
            TYPING.text = "\n".join(lines)
        text = "\n".join(lines).rstrip("\n")
        TYPING.text = ""
        if text.strip().lower() == CLEAR:
            text = ""
        elif not text and default:
            text = default
        problem = validate(text) if validate is not None else True
        if problem is True:
            return text
        _note(str(problem))


def _note(value: str) -> None:
    """A hint or message: normal text (never dim), so it can be read and is read out."""
    console().print(safe.text(value), end="\n")


def _bindings(multiline: bool, extra: Any = None, default: str = "") -> Any:
    """Ctrl-U empties the whole answer; in a multi-line answer, Enter sends a lone
    command (such as /back), an empty answer, the earlier answer left as it was, or the
    text after two empty lines."""
    bindings = KeyBindings()

    @bindings.add("c-u")
    def _clear(event: Any) -> None:
        event.current_buffer.reset()

    if multiline:

        @Condition
        def finished() -> bool:
            buffer = get_app().current_buffer
            text = buffer.text
            if as_command(text) is not None or text.strip().lower() == CLEAR:
                return True
            if not text.strip() or (default and text == default):
                return True
            before = buffer.document.text_before_cursor
            after = buffer.document.text_after_cursor
            return not after.strip() and before.endswith("\n\n")

        @bindings.add("enter", filter=finished)
        def _send(event: Any) -> None:
            event.current_buffer.validate_and_handle()

    return merge_key_bindings([bindings, extra]) if extra is not None else bindings


def _action_titles(
    question: Question, context: Context, *, skip: bool = True
) -> list[tuple[str, Action]]:
    items: list[tuple[str, Action]] = []
    if context.can_go_back:
        items.append(("Go back to the previous question", Action.BACK))
    if skip and not question.required:
        items.append(("Skip this question", Action.SKIP))
    if question.help:
        items.append(("Show help for this question", Action.HELP))
    flag_title = (
        "Remove the flag from this question"
        if context.flagged
        else "Flag this to talk about at my next session"
    )
    items.append((flag_title, Action.FLAG))
    items.append(("Stop for now (everything is saved)", Action.STOP))
    return items


def _select(
    options: list[tuple[str, Any]],
    default: Any,
    actions: list[tuple[str, Action]],
    *,
    message: str = "",
    instruction: str = "(arrow keys to move, Enter to pick)",
) -> Any:
    """Pick one of ``options`` (exercise text, cleaned here) or one of ``actions``.
    In plain mode: a numbered list, and the commands (/back...) may be typed too."""
    titles = [clean(title, multiline=False) for title, _ in options]
    values = [value for _, value in options]
    if plain_mode():
        every = [*titles, *(title for title, _ in actions)]
        start = values.index(default) if default is not None and default in values else None
        allowed = {action for _, action in actions}

        def command(typed: str) -> Any:
            action = as_command(typed)
            return action if action in allowed else None

        picked = plain_menu(clean(message, multiline=False), every, default=start, commands=command)
        if isinstance(picked, Action):
            return picked
        return [*values, *(action for _, action in actions)][picked]

    choices = [
        questionary.Choice(title, value) for title, value in zip(titles, values, strict=True)
    ]
    pointed = next((c for c in choices if default is not None and c.value == default), None)

    extra: list[Any] = []
    if actions:
        extra.append(questionary.Separator("  ----------"))
        extra += [questionary.Choice(menu_title(title), action) for title, action in actions]
    return questionary.select(
        clean(message, multiline=False),
        choices=[*choices, *extra],
        default=pointed,
        instruction=instruction,
        qmark=">",
        style=_style(),
    ).unsafe_ask()


def _pick(
    question: Question, options: list[tuple[str, Any]], default: Any, context: Context
) -> Reply:
    result = _select(options, default, _action_titles(question, context))
    if isinstance(result, Action):
        return Reply(action=result)
    return Reply(value=result)


# --- the eight kinds -----------------------------------------------------------------


def _validator(question: Question, convert: Callable[[str], Any]) -> Callable[[str], bool | str]:
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
PLAIN_CHOICES_HINT = "Tick as many as fit: you type their numbers on one line."


def _tick(
    question: Question, ticked: list[str], check: Callable[[list[Any]], bool | str]
) -> list[str] | Action:
    """One round of ticking: the checkbox list, or in plain mode the numbers typed (where
    /back, /stop and the rest can be typed instead, as at any typed answer)."""
    if plain_mode():
        titles = [clean(choice, multiline=False) for choice in question.choices]
        while True:
            picked = plain_ticks(
                "", titles, [c in ticked for c in question.choices], commands=as_command
            )
            if isinstance(picked, Action):
                return picked
            values = [question.choices[i] for i in picked]
            problem = check(values)
            if problem is True:
                return values
            _note(str(problem))

    result = questionary.checkbox(
        "",
        choices=[
            questionary.Choice(
                menu_title(clean(choice, multiline=False), 5), choice, checked=choice in ticked
            )
            for choice in question.choices
        ],
        validate=check,
        instruction="(Space to tick, Enter when done)",
        qmark=">",
        style=_style(),
    ).unsafe_ask()
    return [str(value) for value in result or []]


def ask_choices(question: Question, default: Any, context: Context) -> Reply:
    """Tick any of the answers, then Enter; then a short menu: what was ticked, and the
    actions (back, skip, help, flag, stop). Ticks are kept whatever is chosen."""
    ticked = [c for c in question.choices if isinstance(default, list | tuple) and c in default]
    how = "Type the numbers" if plain_mode() else "Press the Space bar to tick or untick."

    def check(values: list[Any]) -> bool | str:
        if not values:
            return True  # the menu after Enter says what to do next
        problem = validate_answer(question, list(values))
        if problem:
            return f"{problem} {how}"
        return True

    while True:
        got = _tick(question, ticked, check)
        if isinstance(got, Action):
            return Reply(action=got, value=ticked or None)
        chosen = set(got)
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
            back = "Go back to the list to tick" + ("" if plain_mode() else " (Space bar to tick)")
            options = [(back, "change")]
            message = "What would you like to do?"
        picked = _select(
            options, None, _action_titles(question, context, skip=not ticked), message=message
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


def scale_hint(low: int, high: int) -> str:
    """How to answer a scale, in normal words."""
    arrows = "" if plain_mode() else " (the Up and Down arrow keys change it)"
    return f"Type a number from {low} to {high}{arrows}, then press Enter."


def _number_keys(low: int, high: int) -> Any:
    """Up and Down change the number in the input; nothing chosen goes to an end."""
    bindings = KeyBindings()

    def step(event: Any, by: int) -> None:
        buffer = event.current_buffer
        text = buffer.text.strip()
        if text.lstrip("-").isdigit():
            value = min(high, max(low, int(text) + by))
        else:
            value = low if by > 0 else high
        buffer.text = str(value)
        buffer.cursor_position = len(buffer.text)

    @bindings.add("up")
    def _up(event: Any) -> None:
        step(event, 1)

    @bindings.add("down")
    def _down(event: Any) -> None:
        step(event, -1)

    return bindings


def number_prompt(
    low: int,
    high: int,
    default: int | None,
    *,
    commands: bool,
    label: str = "",
) -> int | Action:
    """A whole number from ``low`` to ``high``: typed (or, not in plain mode, moved with
    Up and Down). Starts empty, or on the earlier answer; never on an end by itself.
    With ``commands``, /back, /skip, /help, /flag and /stop may be typed instead."""

    def check(text: str) -> bool | str:
        if commands and as_command(text):
            return True
        value = text.strip()
        if value.lstrip("-").isdigit() and low <= int(value) <= high:
            return True
        return f"Please type a number from {low} to {high}, then press Enter."

    typed = text_prompt(
        label=label,
        default="" if default is None else str(default),
        validate=check,
        extra_keys=_number_keys(low, high),
    )
    action = as_command(typed) if commands else None
    if action:
        return action
    return int(typed.strip())


def ask_scale(question: Question, default: Any, context: Context) -> Reply:
    assert question.min is not None and question.max is not None
    pointed = default if isinstance(default, int) and not isinstance(default, bool) else None
    result = number_prompt(question.min, question.max, pointed, commands=True)
    if isinstance(result, Action):
        return Reply(action=result)
    return Reply(value=result)


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
        first = f"Add one at a time, up to {_number(high)}. You can also leave it empty."
    return first + " When you have finished, leave it blank and press Enter."


def _list_item_check(items: list[str], low: int, keeping: bool) -> Callable[[str], bool | str]:
    def check(text: str) -> bool | str:
        if as_command(text) or text.strip() or keeping or len(items) >= low:
            return True
        return f"Please add at least {_number(low)}. Or type /help, /back or /stop."

    return check


def ask_list(question: Question, default: Any, context: Context) -> Reply:
    """Items one at a time; a blank item finishes. Earlier items come back as defaults,
    except when a half-done list is resumed: then they are shown and the typing starts
    at the first empty box."""
    earlier = [str(item) for item in default] if isinstance(default, list | tuple) else []
    low = list_needs(question)
    high = question.max or 20
    noun = clean(question.item_prompt or "Item", multiline=False)
    out = console()
    items: list[str] = []
    if earlier and context.resume:
        _note("You had started this list. So far you have:")
        for number, item in enumerate(earlier, start=1):
            line = safe.text(f"{noun} {number}: ", multiline=False)
            line.append_text(safe.text(item))
            out.print(line, end="\n")
        _note("Carry on from the next one. (To change these, use 'osp edit' afterwards.)")
        items = list(earlier)
        earlier = []
    elif earlier:
        _note(
            "Your earlier items are filled in. Press Enter to keep one, or change it. "
            "Press Ctrl-U to clear an item's text; an item left empty is removed."
        )
    _note(list_hint(question))
    index = 0
    draft = context.draft
    while len(items) < high:
        keeping = index < len(earlier)
        fresh = "" if keeping or draft is None else draft
        if not keeping:
            draft = None
        typed = text_prompt(
            label=f"{noun} {len(items) + 1}:",
            default=earlier[index] if keeping else fresh,
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
    """Row by row, column by column; each cell says which row and column it is.
    A half-done table resumes at its first empty box."""
    earlier = default if isinstance(default, dict) else {}
    table: dict[str, dict[str, str]] = {
        row: dict(earlier.get(row) or {}) for row in question.rows if earlier.get(row)
    }
    header = clean(question.row_header or "Row", multiline=False)
    out = console()
    _note(
        "This is a table. You fill it in one box at a time. A box may be left blank: "
        "just press Enter."
    )
    first_empty = None
    draft = context.draft
    if context.resume:
        first_empty = next(
            (
                (r, c)
                for r, row in enumerate(question.rows)
                for c, column in enumerate(question.columns)
                if not str((table.get(row) or {}).get(column, "")).strip()
            ),
            None,
        )
        if first_empty is not None:
            _note("You had started this table. Carrying on from its first empty box.")
    for r, row in enumerate(question.rows, start=1):
        if first_empty is not None and r - 1 < first_empty[0]:
            continue
        out.print()
        out.print(
            safe.text(
                f"{header} {r} of {len(question.rows)}: {clean(row, multiline=False)}",
                "" if plain_mode() else "bold",
                multiline=False,
            ),
            end="\n",
        )
        for c, column in enumerate(question.columns):
            if first_empty is not None and (r - 1, c) < first_empty:
                continue
            cell = str((table.get(row) or {}).get(column, ""))
            if not cell and draft:
                cell, draft = draft, None  # the box that was being typed in
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
        first_empty = None

    value = {k: v for k, v in table.items() if any(c for c in v.values())}
    problem = validate_answer(question, value or None)
    if problem:
        _note(f"{problem} Let's go through the table again.")
        return ask_table(
            question, value, Context(context.can_go_back, context.flagged, context.on_partial)
        )
    return Reply(value=value or None)


def ask(question: Question, default: Any, context: Context) -> Reply:
    """Ask one question of any kind."""
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
    """A 0-10 rating: the question and what the ends mean on their own lines, then a
    number typed (nothing is chosen to start with, so nothing is recorded by accident)."""
    show_prompt(message, f"0 = {labels[0]}, 10 = {labels[10]}")
    _note(scale_hint(0, 10))
    result = number_prompt(0, 10, default, commands=False)
    assert isinstance(result, int)
    return result


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
