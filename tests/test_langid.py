"""Text that is not English is reported (a `non-english` info notice), never passed silently as clean."""

from __future__ import annotations

import json
import time

import pytest

import exocheck
from exocheck import langid
from exocheck.langid import guess

from conftest import run_cli

# Exosome marketing copy in other languages, written for these tests.
SPANISH = """\
Terapia con exosomas en nuestra clínica

Los exosomas son pequeñas vesículas que las células madre liberan para comunicarse con otras células. En
nuestra clínica de Madrid ofrecemos tratamientos con exosomas para rejuvenecer la piel, reducir las arrugas
y estimular el crecimiento del cabello. Es un procedimiento seguro, sin cirugía y con resultados visibles
desde la primera sesión. Reserve hoy su consulta gratuita con nuestros especialistas.
"""

GERMAN = """\
Exosomen-Therapie in unserer Praxis

Exosomen sind winzige Bläschen, die von Stammzellen freigesetzt werden und Botschaften zwischen den Zellen
übertragen. In unserer Praxis in München bieten wir eine Behandlung mit Exosomen an, die die Haut verjüngt,
Falten reduziert und den Haarwuchs anregt. Die Behandlung ist sicher, schmerzfrei und dauert nur eine
Stunde. Vereinbaren Sie noch heute einen Termin für Ihre kostenlose Beratung.
"""

FRENCH = """\
La thérapie par exosomes dans notre clinique

Les exosomes sont de petites vésicules libérées par les cellules souches pour communiquer avec les autres
cellules. Dans notre clinique de Paris, nous proposons des soins aux exosomes qui rajeunissent la peau,
réduisent les rides et stimulent la repousse des cheveux. Le traitement est sûr, sans chirurgie, et les
résultats sont visibles dès la première séance. Prenez rendez-vous pour une consultation gratuite.
"""

PORTUGUESE = """\
Terapia com exossomos na nossa clínica

Os exossomos são pequenas vesículas liberadas pelas células-tronco para se comunicar com outras células.
Na nossa clínica em São Paulo oferecemos tratamentos com exossomos que rejuvenescem a pele, reduzem as
rugas e estimulam o crescimento do cabelo. O procedimento é seguro, não exige cirurgia e os resultados
aparecem já na primeira sessão. Agende hoje a sua avaliação gratuita com os nossos especialistas.
"""

KOREAN = """\
엑소좀 치료 안내

엑소좀은 줄기세포가 분비하는 작은 소포로, 세포와 세포 사이에서 신호를 전달합니다. 저희 클리닉에서는
엑소좀 시술로 피부를 재생하고 주름을 줄이며 탈모를 개선하는 맞춤 관리를 제공합니다. 시술은 안전하고
통증이 거의 없으며 첫 시술 후부터 효과를 느끼실 수 있습니다. 지금 바로 무료 상담을 예약하세요.
"""

RUSSIAN = """\
Терапия экзосомами в нашей клинике

Экзосомы — это крошечные пузырьки, которые выделяют стволовые клетки для передачи сигналов между
клетками. В нашей клинике в Москве мы предлагаем процедуры с экзосомами, которые омолаживают кожу,
разглаживают морщины и восстанавливают рост волос. Процедура безопасна, не требует операции, и результат
виден уже после первого сеанса. Запишитесь на бесплатную консультацию к нашим специалистам уже сегодня.
"""

JAPANESE = """\
エクソソーム療法のご案内

エクソソームは幹細胞が分泌する小さな小胞で、細胞と細胞の間で情報を伝える役割があります。当クリニックでは
エクソソーム点滴と美容施術により、肌の若返り、しわの改善、薄毛の改善を目指す治療をご提供しています。
施術は安全で痛みも少なく、一回目から効果を実感していただけます。無料カウンセリングのご予約はこちらから。
"""

ENGLISH = """\
Exosome therapy at our clinic

Exosomes are tiny vesicles that stem cells release to communicate with other cells. At our clinic we offer
exosome treatments for skin rejuvenation and hair restoration. The procedure is quick, and most of our
clients return to their day right after it. There are no FDA-approved exosome products, and the evidence
for these treatments is still early, so we will talk you through what is and is not known before you book.
"""

FOREIGN = [(SPANISH, "es"), (GERMAN, "de"), (FRENCH, "fr"), (PORTUGUESE, "pt"), (KOREAN, "ko"),
           (RUSSIAN, "ru"), (JAPANESE, "ja")]


def _notices(text: str) -> list:
    return [n for n in exocheck.check(text).notices if n.code == langid.CODE]


@pytest.mark.parametrize(("text", "code"), FOREIGN, ids=[code for _, code in FOREIGN])
def test_a_page_in_another_language_gets_a_notice_with_its_code(text, code):
    found = guess(text)
    assert found is not None and found.code == code and found.whole
    [notice] = _notices(text)
    assert notice.severity == "info" and (notice.line, notice.column) == (1, 1)
    assert f"({code}); exocheck checks English only, so this text was not checked for claims" in notice.message


def test_other_scripts_and_languages_are_named():
    assert guess("Οι εξωσωματίδια είναι μικρά κυστίδια που απελευθερώνουν τα βλαστοκύτταρα. " * 3).code == "el"
    assert guess("外泌体是干细胞分泌的微小囊泡，我们的诊所提供外泌体治疗，帮助皮肤再生和改善脱发问题。" * 2).code == "zh"
    assert guess("الإكسوسومات هي حويصلات صغيرة تفرزها الخلايا الجذعية ونحن نقدم علاجات للبشرة والشعر " * 3).code \
        == "arabic"
    italian = ("Gli esosomi sono piccole vescicole rilasciate dalle cellule staminali. Nel nostro centro "
               "offriamo trattamenti con esosomi per la pelle e per i capelli, che sono sicuri e senza dolore.")
    assert guess(italian).code == "it"
    dutch = ("Exosomen zijn kleine blaasjes die door stamcellen worden afgegeven. In onze kliniek bieden wij "
             "een behandeling met exosomen aan voor de huid en het haar, die veilig is en niet pijnlijk.")
    assert guess(dutch).code == "nl"


@pytest.mark.parametrize("text", [
    ENGLISH,
    # a foreign brand name, repeated
    ("Clínica de la Piel y de la Estética del Sol offers exosome facials. At Clínica de la Piel we use "
     "exosomes with microneedling, and the team at Clínica de la Piel y de la Estética will explain the risks."),
    # a short quote in another language
    ENGLISH + '\nAs our founder likes to say, "la beauté est dans les détails et dans la patience".\n',
    # a German product name in an English page
    ENGLISH.replace("exosome treatments", "Haut und Haar Exosomen Serum für die Kopfhaut treatments"),
    # very short foreign text is not judged
    "Los exosomas son vesículas que las células liberan.",
    "엑소좀 치료 안내",
    "",
    # a few words in another script
    ENGLISH + "\nExosomes (外泌体, エクソソーム, 엑소좀, экзосомы) are studied worldwide.\n",
    # research copy: "et al." and author names
    ("Exosomes from mesenchymal stem cells reduced inflammation in mice (Zhang et al., 2019; De la Torre et al., "
     "2020; Van der Berg et al., 2021; Da Silva et al., 2022). These are animal studies and the results may not "
     "apply to people, as Le Blanc et al. and Del Rio et al. note in their reviews of the field."),
])
def test_english_and_short_text_get_no_notice(text):
    assert guess(text) is None
    assert _notices(text) == []


def test_a_mostly_english_page_with_one_foreign_paragraph_stays_english():
    page = "\n".join([ENGLISH, ENGLISH.replace("Exosome", "Our exosome"), SPANISH.split("\n\n")[1], ENGLISH])
    assert guess(page) is None


def test_a_long_page_half_in_another_language_is_reported_from_where_that_part_starts():
    english = "\n".join([ENGLISH] * 3)
    page = english + "\n" + "\n".join([SPANISH] * 3)
    found = guess(page)
    assert found is not None and found.code == "es" and not found.whole
    [notice] = _notices(page)
    assert notice.line == english.count("\n") + 2
    assert notice.message.startswith("part of this text (about ") and "looks like Spanish (es)" in notice.message


def test_findings_are_unchanged_by_the_notice():
    text = ENGLISH + "\nOur exosome serum cures hair loss.\n"
    report = exocheck.check(text)
    assert report.findings and not report.notices


def test_the_notice_reaches_lint_json_and_exits_as_an_info_notice(tmp_path):
    (tmp_path / "es.md").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "en.md").write_text(ENGLISH, encoding="utf-8")
    result = run_cli("lint", str(tmp_path), "--format", "json")
    assert result.returncode == 1, result.stderr  # the English page's findings
    notices = json.loads(result.stdout)["notices"]
    assert notices == [{"path": str(tmp_path / "es.md"), "line": 1, "column": 1, "code": "non-english",
                        "message": guess(SPANISH).message(), "severity": "info"}]
    spanish = str(tmp_path / "es.md")
    assert run_cli("lint", spanish).returncode == 0  # an info notice fails nothing by default ...
    assert run_cli("lint", spanish, "--fail-on", "warning").returncode == 0
    assert run_cli("lint", spanish, "--fail-on", "info").returncode == 1  # ... but does at --fail-on info
    assert run_cli("lint", spanish, "--fail-on", "info", "--exit-zero").returncode == 0


def test_the_notice_of_a_checked_text_and_of_standard_input():
    result = run_cli(RUSSIAN, "--format", "concise")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").splitlines() == [
        f"<text>:1:1: info [non-english] {guess(RUSSIAN).message()}"]
    piped = run_cli("--format", "json", stdin=KOREAN)
    assert [n["code"] for n in json.loads(piped.stdout)["notices"]] == ["non-english"]
    assert "looks like Korean (ko)" in json.loads(piped.stdout)["notices"][0]["message"]


@pytest.mark.parametrize("fmt", ["text", "concise", "jsonl", "csv", "github", "sarif", "junit", "html"])
def test_every_format_carries_the_notice_unharmed(tmp_path, fmt):
    (tmp_path / "fr.md").write_text(FRENCH, encoding="utf-8")
    result = run_cli("lint", str(tmp_path / "fr.md"), "--format", fmt)
    assert result.returncode == 0, result.stderr
    shown = result.stdout.decode("utf-8")
    assert "non-english" in shown
    message = guess(FRENCH).message()
    if fmt == "html":
        assert message.replace("'", "&#x27;") in shown or message in shown
    elif fmt == "github":
        assert message.replace("%", "%25") in shown
    else:
        assert message in shown  # no escaping of its parentheses, semicolon or comma


def test_suppression_notices_are_kept_alongside(tmp_path):
    page = SPANISH + "\n<!-- exocheck-disable-next-line -->\nLas cremas de exosomas curan la calvicie.\n"
    (tmp_path / "es.md").write_text(page, encoding="utf-8")
    codes = [n["code"] for n in json.loads(run_cli("lint", str(tmp_path), "--format", "json").stdout)["notices"]]
    assert sorted(codes) == ["non-english", "suppression-without-reason"]


def test_the_guess_is_cheap_on_an_english_page():
    page = (ENGLISH * 12)[:5000]
    guess(page)
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        guess(page)
    assert (time.perf_counter() - start) / runs < 0.002  # a small part of checking the page (several ms)


def test_a_large_file_read_in_pieces_gets_one_notice_where_the_other_language_starts(tmp_path, monkeypatch):
    from exocheck import document, lint
    from exocheck.config import Settings

    monkeypatch.setattr(lint, "STREAM_FROM", 0)
    monkeypatch.setattr(lint, "PIECE_CHARS", 700)
    monkeypatch.setattr(document, "PIECE_BYTES", 300)
    path = tmp_path / "page.md"
    path.write_text("\n".join([ENGLISH] * 6 + [SPANISH] * 6), encoding="utf-8")
    parts = list(lint.lint_file(exocheck.checker_for(), path, Settings()))
    assert len(parts) > 3
    notices = [n for part in parts for n in part.report.notices]
    assert [n.code for n in notices] == ["non-english"] and "Spanish (es)" in notices[0].message
    line = path.read_text(encoding="utf-8").splitlines()[notices[0].line - 1]
    assert line and line in SPANISH


@pytest.mark.parametrize(("old", "new", "message"), [
    ("spanish_function_words: [de,", "spanish_function_words: [De,", "'De' must be one lowercase word of letters"),
    ("spanish_function_words: [de,", "spanish_function_words: [Él,", "'Él' must be one lowercase word of letters"),
    ("russian_function_words: [и,", "russian_function_words: [И,", "'И' must be one lowercase word of letters"),
    ("spanish_function_words: [de,", "spanish_function_words: [de1,", "'de1' must be one lowercase word"),
    ("spanish_function_words: [de,", "spanish_function_words: [d'un,", "\"d'un\" must be one lowercase word"),
])
def test_the_lists_of_other_languages_take_lowercase_words_of_any_alphabet(tmp_path, old, new, message):
    from exocheck.errors import KnowledgeBaseError
    from exocheck.language import default_language_path, load_language

    shipped = default_language_path().read_text(encoding="utf-8")
    assert load_language().spanish_function_words >= {"más", "también"}
    assert "что" in load_language().russian_function_words
    path = tmp_path / "language.yaml"
    path.write_text(shipped.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_language(path)
    line = 1 + shipped[: shipped.index(old)].count("\n")
    assert any(str(p).startswith(f"{path}:{line}:") and message in str(p) for p in caught.value.problems), \
        caught.value.problems


def test_no_text_of_the_english_corpora_is_called_foreign():
    import yaml

    from conftest import HERE

    texts = [item["text"] for name in ("sentences", "passages", "holdout")
             for item in yaml.safe_load((HERE / "corpus" / f"{name}.yaml").read_text(encoding="utf-8"))]
    texts += [item["text"] for name in ("tune", "check")
              for item in yaml.safe_load((HERE / "corpus" / "realcopy" / f"{name}.yaml").read_text(encoding="utf-8"))]
    assert len(texts) > 700
    assert [(text[:60], found) for text in texts if (found := guess(text)) is not None] == []


def test_a_lone_surrogate_in_a_python_string_is_no_crash():
    # exocheck.check("...") takes any str; one with a lone surrogate must be checked, not raise
    text = "Our exosome serum regrows thinning hair \udcff in weeks. " * 120
    assert langid.guess(text) is None
    assert {f.claim_id for f in exocheck.check(text).findings} == {"hair-loss-treatment"}
