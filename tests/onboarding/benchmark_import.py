"""Benchmark: import a JSON Lines file of 100,000 lines into an empty SQLite database.

    python -m tests.onboarding.benchmark_import [LINES]

Writes a file of enterprises (one in ten lines) and postings with varied Chinese text, builds an
empty database, runs `flask --app wsgi import-data` on it, then imports it again (all updates),
and prints the wall-clock times. It asserts nothing about time: it prints figures."""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from matchmaker.uscc import make_uscc

WORDS = ("汽车密封条", "液冷板", "数控加工", "CNC", "注塑模具", "精密冲压", "电池包", "热管理", "铝合金压铸", "工业软件",
         "视觉检测", "传感器", "减速器", "伺服电机", "PLC", "激光焊接", "表面处理", "复合材料", "碳纤维", "芯片封装",
         "供应链金融", "检测认证", "试验场地", "数字化转型", "MES", "质量追溯", "轻量化", "耐候性", "EMC测试", "IATF16949")
CITIES = ("420100", "420500", "440300", "310000", "320500", "330100", "510100", "500000")
LEAD_KINDS = (("need", "component"), ("need", "material"), ("need", "process"), ("challenge", "technology"),
              ("resource", "test_site"), ("resource", "fund"), ("resource", "equipment"))
SME_KINDS = (("capability", "product"), ("capability", "process"), ("capability", "technology"),
             ("need", "testing"), ("need", "financing"), ("need", "digital"))


def make_file(path: Path, lines: int) -> None:
    rng = random.Random(42)
    enterprises = max(1, lines // 10)
    deadline = (date.today() + timedelta(days=180)).isoformat()
    with path.open("w", encoding="utf-8") as fh:
        for n in range(enterprises):
            role = "lead" if n % 10 == 0 else "sme"
            fh.write(json.dumps({
                "type": "enterprise", "ref": f"e{n}", "name": f"示范企业{n}有限公司",
                "uscc": make_uscc(authority="9", category="1", region="420100", org_code9=f"{n + 1:09d}"),
                "role": role, "tier": None if role == "lead" else rng.choice(("innovative", "specialized", "little_giant")),
                "industry": rng.choice(("C3670", "C3811", "C3982", "I6513")), "region": rng.choice(CITIES),
                "description": "、".join(rng.sample(WORDS, 4)), "contact_name": "张三",
                "contact_email": f"e{n}@example.cn", "contact_phone": "027-88886666"}, ensure_ascii=False) + "\n")
        for n in range(lines - enterprises):
            owner = rng.randrange(enterprises)
            kind, category = rng.choice(LEAD_KINDS if owner % 10 == 0 else SME_KINDS)
            words = rng.sample(WORDS, 6)
            fh.write(json.dumps({
                "type": "posting", "ref": f"p{n}", "enterprise": f"e{owner}", "kind": kind, "category": category,
                "title": f"{words[0]}{words[1]}项目{n}",
                "description": f"我们在{words[2]}和{words[3]}方面寻求合作，要求具备{words[4]}能力，批量{rng.randint(1, 900)}万件，"
                               f"交付周期{rng.randint(2, 52)}周，并通过{words[5]}相关认证。欢迎专精特新企业对接。",
                "tags": words[:3], "deadline": deadline, "anonymous": owner % 20 == 0}, ensure_ascii=False) + "\n")


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        data, db_path = Path(tmp) / "data.jsonl", Path(tmp) / "bench.db"
        make_file(data, lines)
        env = {**os.environ, "MATCHMAKER_DATABASE_URL": f"sqlite:///{db_path}"}
        subprocess.run([sys.executable, "-c", "from matchmaker import create_app\nfrom matchmaker.extensions import db\n"
                        "app = create_app()\nwith app.app_context(): db.create_all()"], env=env, check=True)
        for label in ("first import (all new)", "second import (all updates, text unchanged)"):
            started = time.perf_counter()
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "import-data", str(data)], env=env,
                                    capture_output=True, text=True)
            seconds = time.perf_counter() - started
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = usage.ru_utime + usage.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
            load = os.getloadavg()[0]
            if result.returncode != 0:
                print(result.stderr[-3000:])
                raise SystemExit(result.returncode)
            print(f"{lines} lines, {label}: {seconds:.1f} s wall, {cpu:.1f} s CPU (all processes) on "
                  f"{os.cpu_count()} CPU(s), load average {load:.1f} — {result.stdout.strip().splitlines()[0]}")


if __name__ == "__main__":
    main()
