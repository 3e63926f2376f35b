"""The classroom load generator, on threads and http.client (no dependency).

Two kinds of load against one server:

- `classroom`: N students log in, start a full mock **at the same moment** (a barrier), answer every question
  (with think time, or none for a stress run), change some answers, flag some, come back to a few, open the
  review page and submit **at the same moment** (a second barrier). Each student speaks like the browser does:
  CSRF token, HTMX headers, numbered saves (`seq`), the question page as an HTMX partial.
- `capacity`: closed-loop clients hammering one endpoint at a time for a few seconds (the trivial view, the
  question page, the answer save), for throughput at saturation and its ratio to the trivial view.

Every request is timed on the client and tagged with X-Bench-Phase / X-Bench-Name headers, which the server's
access log records with its own timing (bench/run.py). Every save sent is logged with whether the server
acknowledged it, for bench/integrity.py. Loops are bounded in count and time; requests time out.
"""

import http.client
import math
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

EXAM = "AIF-C01"
PASSWORD = "bench-student-pass"  # noqa: S105 - apps/ops/management/commands/make_bench_data.py's default
ACKNOWLEDGED = {"saved", "unchanged"}
CONNECTION_DROPS = (
    http.client.RemoteDisconnected,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)


class StudentFailed(Exception):
    """A request of this student failed; the student stops (and still meets the others at the barriers)."""


# ----------------------------------------------------------------------------------------------- recording
class Recorder:
    """Timings and errors from many threads (list.append is atomic, so no lock is needed)."""

    def __init__(self):
        self.origin = time.perf_counter()
        self.rows = []  # (phase, name, started at [s since origin], seconds, status)
        self.errors = []  # (phase, name, what went wrong)
        self.resent = []  # (phase, name) of requests sent again after the server closed a keep-alive connection

    def add(self, phase, name, started, seconds, status):
        self.rows.append((phase, name, round(started - self.origin, 4), seconds, status))

    def error(self, phase, name, text):
        self.errors.append((phase, name, text[:300]))

    @property
    def reconnects(self):
        return len(self.resent)


def percentile(values, share):
    """Nearest-rank percentile of a list of numbers (None for an empty list)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
    return ordered[rank - 1]


# ------------------------------------------------------------------------------------------------ browser
@dataclass
class Response:
    status: int
    headers: dict
    text: str
    seconds: float


class Browser:
    """One student's browser: a keep-alive connection, its cookies, and the headers htmx sends."""

    def __init__(self, host, port, recorder, *, timeout=60.0, idle_limit=1.5):
        self.host, self.port, self.recorder = host, port, recorder
        self.timeout, self.idle_limit = timeout, idle_limit
        self.cookies = {}
        self.connection = None
        self.last_used = 0.0

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _connection(self):
        """The open connection, or a new one. gunicorn closes a connection idle for 2 s (its keepalive); one idle
        for idle_limit is replaced before use rather than risk sending into a socket being closed."""
        stale = time.monotonic() - self.last_used > self.idle_limit
        if self.connection is not None and (stale or self.connection.sock is None):
            self.close()
        fresh = self.connection is None
        if fresh:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.connection, fresh

    def request(self, phase, name, method, path, *, form=None, headers=None, resend=True):
        """Send one request and read the whole answer; the timing is recorded whatever the status.

        A request that a reused keep-alive connection drops before any answer is sent once more on a new
        connection when `resend` (every request of ours but the start of an attempt is safe to repeat: saves
        carry their number, submitting twice submits once). Raises StudentFailed on a transport failure.
        """
        body = urlencode(form, doseq=True) if form is not None else None
        sent_headers = {"Host": self.host, "X-Bench-Phase": phase, "X-Bench-Name": name, **(headers or {})}
        if body is not None:
            sent_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent_headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        for try_number in (1, 2):
            connection, fresh = self._connection()
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=sent_headers)
                answer = connection.getresponse()
                text = answer.read().decode("utf-8", "replace")
            except CONNECTION_DROPS as error:
                self.close()
                if fresh or not resend or try_number == 2:
                    self.recorder.error(phase, name, f"{method} {path}: connection dropped ({error!r})")
                    raise StudentFailed(name) from error
                self.recorder.resent.append((phase, name))
                continue
            except (OSError, http.client.HTTPException) as error:  # timeouts, refused connections
                self.close()
                self.recorder.add(phase, name, started, time.perf_counter() - started, 0)
                self.recorder.error(phase, name, f"{method} {path}: {error!r}")
                raise StudentFailed(name) from error
            seconds = time.perf_counter() - started
            self.last_used = time.monotonic()
            self.recorder.add(phase, name, started, seconds, answer.status)
            self._keep_cookies(answer.getheaders())
            headers_in = {key.lower(): value for key, value in answer.getheaders()}
            return Response(answer.status, headers_in, text, seconds)
        raise AssertionError("unreachable")

    def _keep_cookies(self, headers):
        for key, value in headers:
            if key.lower() != "set-cookie":
                continue
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";", 1)[0]
            if "max-age=0" in value.lower() or cookie_value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value

    def expect(self, phase, name, response, status, *, contains=None):
        """Record an error (and stop the student) when the answer is not the expected one."""
        if response.status != status or (contains is not None and contains not in response.text):
            snippet = re.sub(r"\s+", " ", response.text[:200])
            self.recorder.error(phase, name, f"status {response.status} (expected {status}): {snippet}")
            raise StudentFailed(name)


# --------------------------------------------------------------------------------------- the exam screen
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEQ_INPUT = re.compile(r'name="seq" value="(\d+)"')
RADIO = re.compile(r'type="radio" name="choice" value="(\d+)"')
CHECKBOX = re.compile(r'type="checkbox" name="choices" value="(\d+)"')
CHOOSE = re.compile(r"Choose (\d+) answers")
ORDER = re.compile(r'name="order" value="(\d+)"')
SELECT = re.compile(r'<select id="match-(\d+)" name="match-\d+"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
FLAGGED = re.compile(r'name="flagged" value="1" checked')
OUTCOME = re.compile(r'data-outcome="(\w*)"')
ATTEMPT_URL = re.compile(r"/attempts/(\d+)/q/1/$")


@dataclass
class Screen:
    """What a question page offers: the next save's number, the kind of question and its answer ids."""

    position: int
    seq: int
    token: str
    kind: str
    choices: list = field(default_factory=list)
    choose: int = 1
    items: list = field(default_factory=list)
    prompts: dict = field(default_factory=dict)
    flagged: bool = False


def read_screen(position, html):
    seq, token = SEQ_INPUT.search(html), CSRF_INPUT.search(html)
    if not seq or not token:
        return None
    screen = Screen(position=position, seq=int(seq.group(1)), token=token.group(1), kind="")
    screen.flagged = bool(FLAGGED.search(html))
    if radios := RADIO.findall(html):
        screen.kind, screen.choices = "multiple_choice", radios
    elif boxes := CHECKBOX.findall(html):
        choose = CHOOSE.search(html)
        screen.kind, screen.choices = "multiple_response", boxes
        screen.choose = min(len(boxes), int(choose.group(1)) if choose else 2)
    elif items := ORDER.findall(html):
        screen.kind, screen.items = "ordering", items
    elif selects := SELECT.findall(html):
        screen.kind = "matching"
        screen.prompts = {prompt: OPTION.findall(options) for prompt, options in selects}
    else:
        return None
    return screen


def pick_answer(screen, rng, previous=None):
    """A random answer as form fields ({name: [values]}), different from `previous` where the question allows.

    An ordering is never sent in the order first shown: the server takes that order for "not answered yet"
    (the student has not moved anything), which is right for a browser but would not be a save to check.
    """
    for _ in range(20):
        if screen.kind == "multiple_choice":
            answer = {"choice": [rng.choice(screen.choices)]}
        elif screen.kind == "multiple_response":
            answer = {"choices": sorted(rng.sample(screen.choices, screen.choose))}
        elif screen.kind == "ordering":
            order = list(screen.items)
            while order == screen.items:
                rng.shuffle(order)
            answer = {"order": order}
        else:
            answer = {f"match-{prompt}": [rng.choice(options)] for prompt, options in screen.prompts.items()}
        if answer != previous:
            return answer
    return answer


HTMX = {"HX-Request": "true"}


# ------------------------------------------------------------------------------------------------ student
class Student:
    """One virtual student: the session, the attempt, and every save sent (for the integrity check)."""

    def __init__(self, number, config, recorder, rng):
        self.username = f"bench-student-{number:03d}"
        self.config, self.recorder, self.rng = config, recorder, rng
        self.browser = Browser(config.host, config.port, recorder, timeout=config.timeout)
        self.attempt = None
        self.submitted = False
        self.saves = []
        self.token = ""
        self.failed = False

    def log_entry(self):
        return {
            "username": self.username,
            "attempt": self.attempt,
            "submitted": self.submitted,
            "failed": self.failed,
            "saves": self.saves,
        }

    def think(self, scale=1.0):
        if self.config.think:
            low, high = self.config.think
            time.sleep(self.rng.uniform(low, high) * scale)

    # -- steps
    def log_in(self, phase="login"):
        browser = self.browser
        page = browser.request(phase, "login_page", "GET", "/accounts/login/")
        browser.expect(phase, "login_page", page, 200, contains="csrfmiddlewaretoken")
        form = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(page.text).group(1),
            "username": self.username,
            "password": self.config.password,
        }
        done = browser.request(phase, "login", "POST", "/accounts/login/", form=form)
        browser.expect(phase, "login", done, 302)
        if "sessionid" not in browser.cookies:
            self.recorder.error(phase, "login", f"{self.username}: no session after logging in")
            raise StudentFailed("login")
        page = browser.request(phase, "new_practice_page", "GET", f"/practice/new/?exam={EXAM}")
        browser.expect(phase, "new_practice_page", page, 200, contains="csrfmiddlewaretoken")
        self.token = CSRF_INPUT.search(page.text).group(1)

    def start(self, phase):
        form = {
            "csrfmiddlewaretoken": self.token,
            "exam": EXAM,
            "mode": "mock",
            "feedback": "end",
            "timed": "on",
        }
        # Never sent twice: a second POST would start a second attempt.
        started = self.browser.request(phase, "start", "POST", "/practice/new/", form=form, resend=False)
        self.browser.expect(phase, "start", started, 302)
        match = ATTEMPT_URL.search(started.headers.get("location", ""))
        if not match:
            self.recorder.error(phase, "start", f"redirected to {started.headers.get('location')!r}")
            raise StudentFailed("start")
        self.attempt = int(match.group(1))
        page = self.browser.request(phase, "question_first", "GET", f"/attempts/{self.attempt}/q/1/")
        return self._screen(phase, "question_first", page, 1)

    def _screen(self, phase, name, page, position):
        self.browser.expect(phase, name, page, 200, contains='id="answer-form"')
        screen = read_screen(position, page.text)
        if screen is None:
            self.recorder.error(phase, name, f"Q{position}: no answer form could be read")
            raise StudentFailed(name)
        return screen

    def open_question(self, phase, position):
        headers = {**HTMX, "HX-Target": "exam-main", "HX-Current-URL": f"/attempts/{self.attempt}/q/"}
        page = self.browser.request(
            phase, "question", "GET", f"/attempts/{self.attempt}/q/{position}/", headers=headers
        )
        return self._screen(phase, "question", page, position)

    def save(self, phase, screen, answer, *, seq, flagged):
        """Post an answer as htmx does on a change (seq counted up per screen) and check the acknowledgement."""
        form = {"csrfmiddlewaretoken": screen.token, "seq": str(seq), "fields": "flagged", **answer}
        if flagged:
            form["flagged"] = "1"
        entry = {"position": screen.position, "seq": seq, "form": answer, "flagged": flagged, "acked": False}
        self.saves.append(
            entry
        )  # before sending: a save the server stored but never acknowledged is still ours
        headers = {
            **HTMX,
            "HX-Target": "save-status",
            "HX-Trigger": "answer-form",
            "X-CSRFToken": screen.token,
        }
        path = f"/attempts/{self.attempt}/q/{screen.position}/answer/"
        saved = self.browser.request(phase, "save", "POST", path, form=form, headers=headers)
        self.browser.expect(phase, "save", saved, 200)
        outcome = OUTCOME.search(saved.text)
        if not outcome or outcome.group(1) not in ACKNOWLEDGED:
            found = outcome.group(1) if outcome else "no save status"
            self.recorder.error(phase, "save", f"Q{screen.position} #{seq}: not acknowledged ({found})")
            raise StudentFailed("save")
        entry["acked"] = True

    def answer_all(self, phase, first_screen):
        config, rng = self.config, self.rng
        screen = first_screen
        for position in range(1, config.questions + 1):
            if position > 1:
                screen = self.open_question(phase, position)
            self.think()
            answer = pick_answer(screen, rng)
            flagged = rng.random() < config.flag_rate
            self.save(phase, screen, answer, seq=screen.seq, flagged=flagged)
            if rng.random() < config.change_rate:  # a change of mind on the same screen: the next number
                self.think(0.3)
                self.save(
                    phase, screen, pick_answer(screen, rng, answer), seq=screen.seq + 1, flagged=flagged
                )

    def revisit(self, phase):
        """Come back to a few questions (from the navigator), answer them anew, clear some flags."""
        positions = self.rng.sample(range(1, self.config.questions + 1), self.config.revisits)
        for position in sorted(positions):
            screen = self.open_question(phase, position)
            self.think(0.5)
            previous = self.last_answer(position)
            flagged = screen.flagged and self.rng.random() < 0.5
            self.save(phase, screen, pick_answer(screen, self.rng, previous), seq=screen.seq, flagged=flagged)

    def last_answer(self, position):
        acked = [save for save in self.saves if save["position"] == position and save["acked"]]
        return acked[-1]["form"] if acked else None

    def open_review(self, phase):
        """The review page; returns the CSRF token of its submit form."""
        page = self.browser.request(phase, "review", "GET", f"/attempts/{self.attempt}/review/")
        self.browser.expect(phase, "review", page, 200, contains="csrfmiddlewaretoken")
        return CSRF_INPUT.search(page.text).group(1)

    def submit(self, phase, token):
        form = {"csrfmiddlewaretoken": token, "confirm": "yes"}
        done = self.browser.request(phase, "submit", "POST", f"/attempts/{self.attempt}/submit/", form=form)
        self.browser.expect(phase, "submit", done, 302)
        if not done.headers.get("location", "").endswith(f"/attempts/{self.attempt}/results/"):
            self.recorder.error(phase, "submit", f"redirected to {done.headers.get('location')!r}")
            raise StudentFailed("submit")
        self.submitted = True
        results = self.browser.request(phase, "results", "GET", f"/attempts/{self.attempt}/results/")
        self.browser.expect(phase, "results", results, 200, contains="score-summary")


def wait(barrier, recorder, phase, name):
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        recorder.error(phase, name, "the barrier broke (a student never arrived in time)")


# ------------------------------------------------------------------------------------------ the classroom
@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    students: int = 40
    first_student: int = 1
    seed: int = 42
    think: tuple | None = (0.5, 2.0)  # seconds before each answer (None: a stress run without think time)
    login_window: float = 8.0  # logins spread over this many seconds (a class does not log in at one instant)
    questions: int = 65
    change_rate: float = 0.15  # share of questions whose answer is changed right away
    flag_rate: float = 0.10
    revisits: int = 5  # questions opened again from the navigator before submitting
    password: str = PASSWORD
    timeout: float = 60.0  # seconds one request may take
    barrier_timeout: float = 600.0
    capacity_clients: int = 16
    capacity_seconds: float = 10.0
    capacity_warmup: float = 1.0


def classroom(config, recorder, on_phase=lambda name, edge: None):
    """Run the classroom scenario; returns the students' log entries."""
    rng = random.Random(config.seed)
    students = [
        Student(number, config, recorder, random.Random(f"{config.seed}-{number}"))
        for number in range(config.first_student, config.first_student + config.students)
    ]
    start_barrier = threading.Barrier(config.students, timeout=config.barrier_timeout + config.login_window)
    submit_barrier = threading.Barrier(config.students, timeout=config.barrier_timeout)
    delays = [rng.uniform(0, config.login_window) for _ in students]

    def run(student, delay):
        phase, token = "scenario", None
        try:
            time.sleep(delay)
            student.log_in(phase)
        except StudentFailed:
            student.failed = True
        wait(start_barrier, recorder, phase, "start")
        try:
            if not student.failed:
                screen = student.start(phase)
                student.answer_all(phase, screen)
                if config.revisits:
                    student.revisit(phase)
                token = student.open_review(phase)
        except StudentFailed:
            student.failed = True
        wait(
            submit_barrier, recorder, phase, "submit"
        )  # every student comes, failed or not: nobody waits in vain
        try:
            if token:
                student.submit(phase, token)
        except StudentFailed:
            student.failed = True
        finally:
            student.browser.close()

    on_phase("scenario", "start")
    threads = [
        threading.Thread(target=run, args=pair, daemon=True) for pair in zip(students, delays, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(config.barrier_timeout * 2 + config.login_window + 600)
    on_phase("scenario", "end")
    return [student.log_entry() for student in students]


# -------------------------------------------------------------------------------------- capacity phases
def capacity(config, recorder, on_phase=lambda name, edge: None):
    """Closed-loop throughput of the trivial view, the question page and the answer save, one at a time.

    Uses its own students (after the classroom's), each with a started attempt, so that every save is a real
    save and is checked afterwards like the classroom's. Returns their log entries and each phase's duration.
    """
    first = config.first_student + config.students
    students = [
        Student(number, config, recorder, random.Random(f"{config.seed}-capacity-{number}"))
        for number in range(first, first + config.capacity_clients)
    ]
    screens = {student.username: {} for student in students}

    def set_up(student):
        student.log_in("capacity-setup")
        screen = student.start("capacity-setup")
        screens[student.username][1] = screen

    _together(students, set_up, recorder)
    ready = [student for student in students if not student.failed and student.attempt]

    def floor(student, phase):
        browser = Browser(config.host, config.port, recorder, timeout=config.timeout)
        _loop(phase, lambda tag: _get_floor(browser, tag), config)
        browser.close()

    def question(student, phase):
        position = student.rng.randrange(1, config.questions + 1)

        def step(tag):
            nonlocal position
            screens[student.username][position] = student.open_question(tag, position)
            position = position % config.questions + 1

        _loop(phase, step, config)

    def save(student, phase):
        own = screens[student.username]
        seqs = {position: screen.seq for position, screen in own.items()}
        order = sorted(own)

        def step(tag):
            position = order[step.count % len(order)]
            step.count += 1
            screen = own[position]
            answer = pick_answer(screen, student.rng, student.last_answer(position))
            student.save(tag, screen, answer, seq=seqs[position], flagged=False)
            seqs[position] += 1

        step.count = 0
        _loop(phase, step, config)

    for phase, work in (("floor", floor), ("question_page", question), ("answer_save", save)):
        on_phase(phase, "start")
        _together(ready, lambda student, work=work, phase=phase: work(student, phase), recorder)
        on_phase(phase, "end")

    def submit(student):
        student.submit("capacity-teardown", student.open_review("capacity-teardown"))
        student.browser.close()

    _together(ready, submit, recorder)
    return [student.log_entry() for student in students]


def _get_floor(browser, tag):
    response = browser.request(tag, "floor", "GET", "/bench/floor/")
    browser.expect(tag, "floor", response, 200)


def _loop(phase, step, config):
    """Call step(tag) back to back: "warmup" for the first second, then the phase, until time is up."""
    started = time.perf_counter()
    deadline = started + config.capacity_warmup + config.capacity_seconds
    while (now := time.perf_counter()) < deadline:
        tag = "warmup" if now < started + config.capacity_warmup else phase
        step(tag)


def _together(students, work, recorder):
    """Run work(student) in a thread per student; a student whose request fails stops there."""

    def run(student):
        try:
            work(student)
        except StudentFailed:
            student.failed = True
        except Exception as error:  # a bug here must not hang the run: record it as an error and stop
            student.failed = True
            recorder.error("capacity", "client", repr(error))

    threads = [threading.Thread(target=run, args=(student,), daemon=True) for student in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)


def warm_up(config, recorder):
    """Touch each kind of page once per server thread, unmeasured: imports, template loading, connections."""
    browser = Browser(config.host, config.port, recorder, timeout=config.timeout)
    for _ in range(30):
        for path in ("/bench/floor/", "/health/", "/accounts/login/"):
            try:
                browser.request("warmup", "warmup", "GET", path)
            except StudentFailed:
                continue  # recorded as an error; the run goes on and reports it
    browser.close()
