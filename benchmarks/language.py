"""Measure the English check on short texts and non-Latin scripts (issue 12, fault 8).

Compares Flashpoint's word-list check (``inputs/clean.py``, ``data/inputs/english.toml``) with
py3langid (a maintained fork of langid.py; its model ships inside the package) and with the
word list plus a script test, on:

- English: every record of the evaluation sets (``plover-gsr``, ``conflibert-cameo``,
  ``wiki-weasel``, ``giveme5w1h``: sentences to full articles) and the bundled samples. An
  English text refused is an analysis lost, and the evaluation records must all stay in;
- not English, real: the Spanish sentences of UniversalPetrarch's validation files and the Arabic
  sentences of arabic_event_gsr (``../shared/benchmarks/raw``);
- not English, written for this benchmark: two-sentence news items in ten languages, six of
  them in non-Latin scripts (the issue's case: two Chinese sentences passed).

    python benchmarks/language.py            # the table in docs/benchmarks.md, "Language check"
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "benchmarks" / "raw"

# Two sentences of news each, written for this benchmark (not from any test split).
WRITTEN = {
    "zh": ["亚美尼亚指责阿塞拜疆炮击杰尔穆克镇。俄罗斯敦促双方保持克制。",
           "西非国家经济共同体周日对尼日尔实施制裁。该组织威胁说，如果军政府不恢复总统职位，将动用武力。",
           "乌克兰和俄罗斯周五签署了粮食出口协议。联合国秘书长称这是希望的灯塔。"],
    "ja": ["アルメニアはアゼルバイジャンがジェルムク町を砲撃したと非難した。ロシアは双方に自制を求めた。",
           "西アフリカ諸国経済共同体は日曜日、ニジェールに制裁を科した。軍事政権が大統領を復帰させなければ武力を行使すると警告した。"],
    "ko": ["아르메니아는 아제르바이잔이 제르무크 마을을 포격했다고 비난했다. 러시아는 양측에 자제를 촉구했다.",
           "서아프리카 경제공동체는 일요일 니제르에 제재를 가했다. 이 기구는 군사정권이 대통령을 복귀시키지 않으면 무력을 사용하겠다고 경고했다."],
    "ru": ["Армения обвинила Азербайджан в обстреле города Джермук. Россия призвала обе стороны к сдержанности.",
           "Экономическое сообщество западноафриканских государств в воскресенье ввело санкции против Нигера. "
           "Организация пригрозила применить силу."],
    "ar": ["اتهمت أرمينيا أذربيجان بقصف بلدة جيرموك. ودعت روسيا الطرفين إلى ضبط النفس.",
           "فرضت المجموعة الاقتصادية لدول غرب أفريقيا عقوبات على النيجر يوم الأحد. وهددت باستخدام القوة."],
    "hi": ["आर्मेनिया ने अज़रबैजान पर जेरमुक शहर पर गोलाबारी का आरोप लगाया। रूस ने दोनों पक्षों से संयम बरतने का आग्रह किया।",
           "पश्चिम अफ्रीकी देशों के आर्थिक समुदाय ने रविवार को नाइजर पर प्रतिबंध लगाए। संगठन ने बल प्रयोग की धमकी दी।"],
    "el": ["Η Αρμενία κατηγόρησε το Αζερμπαϊτζάν ότι βομβάρδισε την πόλη Τζερμούκ. Η Ρωσία κάλεσε τις δύο πλευρές σε αυτοσυγκράτηση."],
    "fr": ["L'Arménie a accusé l'Azerbaïdjan d'avoir bombardé la ville de Jermuk. La Russie a appelé les deux camps à la retenue.",
           "La Communauté économique des États de l'Afrique de l'Ouest a imposé dimanche des sanctions au Niger."],
    "de": ["Armenien warf Aserbaidschan vor, die Stadt Dschermuk beschossen zu haben. Russland rief beide Seiten zur Zurückhaltung auf.",
           "Die Wirtschaftsgemeinschaft westafrikanischer Staaten verhängte am Sonntag Sanktionen gegen Niger."],
    "es": ["Armenia acusó a Azerbaiyán de bombardear la ciudad de Jermuk. Rusia pidió a ambas partes moderación."],
}


def english() -> Iterator[tuple[str, str]]:
    from flashpoint.evaluation.sets import SETS

    for path in sorted((REPO / "src" / "flashpoint" / "data" / "samples").glob("*.txt")):
        yield "samples", path.read_text(encoding="utf-8")
    for name in ("plover-gsr", "conflibert-cameo", "wiki-weasel", "giveme5w1h"):
        bench = SETS[name]
        if bench.missing_files(RAW):
            print(f"# {name}: missing", file=sys.stderr)
            continue
        for record in bench.records(RAW):
            yield name, record.text


def foreign() -> Iterator[tuple[str, str]]:
    for path in sorted((RAW / "UniversalPetrarch").rglob("spanish_*validation*.xml")):
        for text in re.findall(r"<Text>\s*(.*?)\s*</Text>", path.read_text(encoding="utf-8"), re.S):
            yield "es (UniversalPetrarch)", text.lstrip(")")
    for path in sorted((RAW / "arabic_event_gsr").glob("*_gsr.csv")):
        import csv

        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield "ar (arabic_event_gsr)", row["text"]
    for lang, texts in WRITTEN.items():
        for text in texts:
            yield f"{lang} (written)", text


def _length(text: str) -> str:
    words = len(text.split())
    return "< 8 words" if words < 8 else "8–39 words" if words < 40 else "40+ words"


def checks() -> dict[str, Callable[[str], bool]]:
    """name → function(text) → True when the text is taken as English."""
    from flashpoint.errors import LanguageError
    from flashpoint.inputs import clean
    from flashpoint.settings import Settings

    settings = Settings()

    def passes(check: Callable[..., None]) -> Callable[[str], bool]:
        def run(text: str) -> bool:
            try:
                check(text, settings, "x")
            except LanguageError:
                return False
            return True

        return run

    found = {"word list (before)": passes(clean._check_words),
             "script + word list (now)": passes(clean._check_english)}
    try:
        import py3langid
    except ImportError:
        print("# py3langid not installed: pip install py3langid", file=sys.stderr)
    else:
        found["py3langid"] = lambda text: py3langid.classify(text[:20_000])[0] == "en"
    return found


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    samples = [("English", group, text) for group, text in english()]
    samples += [("not English", group, text) for group, text in foreign()]
    print("| check | kind | set | length | texts | right | wrong |")
    print("|---|---|---|---|---|---|---|")
    for name, check in checks().items():
        started = time.perf_counter()
        tally: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for kind, group, text in samples:
            ok = check(text) == (kind == "English")
            tally[(kind, group, _length(text))][0 if ok else 1] += 1
        seconds = time.perf_counter() - started
        for (kind, group, length), (right, wrong) in sorted(tally.items()):
            print(f"| {name} | {kind} | {group} | {length} | {right + wrong} | {right} | {wrong} |")
        total = [sum(v[i] for (k, _, _), v in tally.items() if k == kind) for kind in ("English", "not English") for i in (0, 1)]
        print(f"| {name} | **all** | English kept {total[0]}/{total[0] + total[1]}, not English refused "
              f"{total[2]}/{total[2] + total[3]} | | | | {seconds * 1000 / len(samples):.2f} ms/text |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
