"""`manage.py fuzz_state_machine --sequences 10000`: run the review engine's Hypothesis state machine
(tests/hardening/test_state_machine.py) long, outside CI, and print what it checked.

Random people of the test world (one per role, another agency's, and people holding several roles) do
random actions on random items; after every step the promises are checked from the raw rows: nothing
published without a complete approval chain on that exact revision, the drafter approves nothing, three
reviews by three people, nobody approves a text they wrote or changed, 三校 by three people, every
decision by a holder of the step's role in the item's agency. The audit chain is verified after every
sequence. It runs in a throwaway test database (test_<NAME>), never in the configured one.

Needs the test extras (hypothesis, factory-boy, pytest): pip install -e '.[test]'. Use the test settings:

    python manage.py fuzz_state_machine --settings=project.settings.test --sequences 10000
"""
import sys
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings, setup_test_environment, teardown_test_environment


class Command(BaseCommand):
    help = "长时间运行审核流程的 Hypothesis 状态机（随机人员、随机操作），并打印检查了什么"

    def add_arguments(self, parser):
        parser.add_argument("--sequences", type=int, default=10000, help="随机操作序列数（Hypothesis examples）")
        parser.add_argument("--steps", type=int, default=20, help="每个序列最多多少步")
        parser.add_argument("--seed", type=int, default=None, help="随机种子（复现用）")

    def handle(self, *args, sequences, steps, seed, **options):
        if not 1 <= sequences <= 10_000_000 or not 1 <= steps <= 1000:
            raise CommandError("--sequences 须在 1–10000000 之间，--steps 须在 1–1000 之间")
        try:
            # Test-only dependencies, loaded only when the command runs (production installs lack them).
            import hypothesis  # noqa: PLC0415
            from hypothesis.stateful import run_state_machine_as_test  # noqa: PLC0415

            from tests.factories import build_world  # noqa: PLC0415
            from tests.hardening import test_state_machine as sm  # noqa: PLC0415
        except ImportError as exc:
            raise CommandError(f"需要测试依赖（pip install -e '.[test]'）：{exc}") from exc

        calls, refused = Counter(), Counter()
        checks = Counter()

        class CountingMachine(sm.ReviewMachine):
            def attempt(self, fn):
                rule = sys._getframe(1).f_code.co_name
                before = self.rejected
                result = super().attempt(fn)
                calls[rule] += 1
                refused[rule] += self.rejected - before
                return result

            def teardown(self):
                checks["sequences"] += 1
                checks["audit chain verified"] += 1
                super().teardown()

        def check_promises():
            checks["invariant checks"] += 1
            checks["items checked"] += sm.Information.objects.count()
            original_check()

        original_check = sm.check_promises
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        started = time.monotonic()
        try:
            with override_settings(SHENFA={**settings.SHENFA, "JOBS_BACKEND": "immediate"}), transaction.atomic():
                sm.check_promises = check_promises
                world = build_world()
                sm.add_people_with_several_roles(world)
                sm.add_policies(world)
                machine = type("Machine", (CountingMachine,), {"world": world})
                if seed is not None:
                    machine = hypothesis.seed(seed)(machine)
                sm.REACHED.clear()
                run_state_machine_as_test(machine, settings=hypothesis.settings(
                    max_examples=sequences, stateful_step_count=steps, deadline=None, database=None,
                    suppress_health_check=list(hypothesis.HealthCheck)))
                transaction.set_rollback(True)
        finally:
            sm.check_promises = original_check
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        elapsed = time.monotonic() - started
        self.report(sequences, steps, seed, elapsed, calls, refused, checks, sorted(sm.REACHED))

    def report(self, sequences, steps, seed, elapsed, calls, refused, checks, reached):
        out = self.stdout
        out.write(f"state machine: {checks['sequences']} sequences run (asked {sequences}, <= {steps} steps each, "
                  f"seed {seed if seed is not None else 'random'}), {elapsed:.1f} s, "
                  f"{checks['sequences'] / elapsed if elapsed else 0:.2f} sequences/s")
        out.write(f"actions attempted: {sum(calls.values())}, refused with a 4xx engine error: "
                  f"{sum(refused.values())}")
        for rule in sorted(calls):
            out.write(f"  {rule:28} {calls[rule]:8} attempted {refused[rule]:8} refused")
        out.write(f"promise checks after steps: {checks['invariant checks']} ({checks['items checked']} item states)")
        out.write(f"audit chains verified: {checks['audit chain verified']}")
        out.write("states reached: " + ", ".join(reached))
        out.write(self.style.SUCCESS("all promises held"))
