"""The desk: even, deterministic assignment plans; topping up; each person's own status and the
desk's overall one; the curator guard; and the 0004 migration's copy of older statuses."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing

import pytest
from alembic import command

from annotator.core.errors import Problem
from annotator.core.model import DocStatus
from annotator.services.app import open_app
from annotator.services.desk import LayerMode, NotAllowed, Role, plan_assignments
from annotator.store.database import open_database, resolve_url
from annotator.store.migrate import alembic_config


@pytest.fixture
def people(db_url):
    opened = {name: open_app(db_url, annotator=name) for name in ("alice", "bob", "carol")}
    yield opened
    for app in opened.values():
        app.close()


@pytest.fixture
def docs(people, add_docs):
    return add_docs(4)


@pytest.fixture
def add_docs(people):
    import hashlib

    from annotator.core.textload import LoadedArticle
    from annotator.services.importing import import_articles

    def add(n: int) -> list[int]:
        start = add.count
        add.count += n
        articles = [LoadedArticle(
            title=f"Heat {i}", text=f"Heat {i}: Josh Kerr won.", published=None,
            sha256=hashlib.sha256(f"heat {i}".encode()).hexdigest(), source=f"heat{i}.txt",
            encoding="utf-8") for i in range(start, start + n)]  # fmt: skip
        report = import_articles(people["carol"].db, articles)
        return [doc for doc, _ in report.imported]

    add.count = 0
    return add


def loads(plan: dict[int, list[str]]) -> Counter[str]:
    return Counter(name for names in plan.values() for name in names)


# -- the plan (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize(("documents", "annotators", "per_document"), [
    (12, 3, 2), (10, 3, 2), (7, 4, 3), (1, 5, 1), (100, 7, 3), (5, 2, 2),
])  # fmt: skip
def test_a_plan_from_nothing_is_even(documents, annotators, per_document):
    names = [f"p{i}" for i in range(annotators)]
    plan = plan_assignments(list(range(1, documents + 1)), names, per_document)
    assert sorted(plan) == list(range(1, documents + 1))
    for people in plan.values():
        assert len(people) == len(set(people)) == per_document
    counts = loads(plan)
    assert set(counts) <= set(names)
    assert max(counts.values()) - min(counts.get(n, 0) for n in names) <= 1
    assert sum(counts.values()) == documents * per_document


def test_a_plan_is_deterministic_and_follows_the_order_given():
    ids = [5, 3, 9, 1]
    first = plan_assignments(ids, ["alice", "bob", "carol"], 2)
    assert first == plan_assignments(list(reversed(ids)), ["alice", "bob", "carol"], 2)
    # Documents in id order, ties to the earliest name: alice and bob get the first.
    assert first == {1: ["alice", "bob"], 3: ["carol", "alice"], 5: ["bob", "carol"],
                     9: ["alice", "bob"]}  # fmt: skip


def test_a_plan_tops_up_and_counts_existing_load():
    plan = plan_assignments([1, 2, 3], ["alice", "bob"], 2,
                            existing={1: {"alice", "bob"}, 2: {"alice"}})  # fmt: skip
    assert plan == {2: ["bob"], 3: ["alice", "bob"]}
    assert plan_assignments([1], ["alice", "bob"], 1, existing={1: {"alice"}}) == {}
    # Everyone already on the document counts towards the number, named this time or not.
    assert plan_assignments([1], ["alice", "bob"], 1, existing={1: {"carol"}}) == {}
    assert plan_assignments([1], ["alice", "bob"], 2, existing={1: {"carol"}}) == {1: ["alice"]}


@pytest.mark.parametrize("per_document", [0, 4])
def test_a_plan_needs_enough_annotators(per_document):
    with pytest.raises(ValueError, match="between 1 and 3"):
        plan_assignments([1], ["a", "b", "c"], per_document)


# -- assigning on a database -------------------------------------------------------------------


def test_assign_writes_the_plan_and_tops_up_later(people, add_docs):
    carol = people["carol"]
    docs = add_docs(4)
    plan = carol.desk.assign(["alice", "bob", "carol"], 2)
    assert loads(plan) == {"alice": 3, "bob": 3, "carol": 2}
    assert carol.desk.assignments() == {doc: set(names) for doc, names in plan.items()}

    # Nothing more to do: a second run changes nothing and says so.
    assert carol.desk.assign(["alice", "bob", "carol"], 2) == {}
    # New documents get their people; the least loaded go first.
    more = add_docs(2)
    plan = carol.desk.assign(["alice", "bob", "carol"], 2)
    assert sorted(plan) == more
    assert loads(plan) == {"carol": 2, "alice": 1, "bob": 1}
    # Raising the number adds one more person to each document, keeping the earlier ones.
    plan = carol.desk.assign(["alice", "bob", "carol"], 3)
    assert sorted(plan) == docs + more
    assert all(names == {"alice", "bob", "carol"} for names in carol.desk.assignments().values())


def test_someone_assigned_work_joins_the_desk(people, docs):
    desk = people["carol"].desk
    assert "dave" not in {p.name for p in people["carol"].people.all()}
    desk.assign(["dave"], 1, [docs[0]])
    assert {p.name: p.role for p in people["carol"].people.all()}["dave"] == "annotator"
    desk.set_assigned(docs[1], "erin", True)
    assert "erin" in {p.name for p in people["carol"].people.all()}


def test_assign_only_the_documents_given_and_refuse_unknown_ones(people, docs):
    carol = people["carol"]
    assert carol.desk.assign(["alice"], 1, docs[1:3]) == {docs[1]: ["alice"], docs[2]: ["alice"]}
    with pytest.raises(LookupError, match=str(docs[-1] + 100)):
        carol.desk.assign(["alice"], 1, [docs[0], docs[-1] + 100])
    assert set(carol.desk.assignments()) == {docs[1], docs[2]}  # the refused run left nothing


def test_set_assigned_gives_and_takes_back(people, docs):
    carol = people["carol"]
    carol.desk.set_assigned(docs[0], "bob", True)
    assert carol.desk.assignments([docs[0]]) == {docs[0]: {"bob"}}
    assert people["bob"].documents.info(docs[0]).assigned
    carol.desk.set_assigned(docs[0], "bob", False)
    assert carol.desk.assignments() == {}
    assert not people["bob"].documents.info(docs[0]).assigned


# -- statuses ----------------------------------------------------------------------------------


def test_each_person_has_their_own_status(people, docs):
    alice, bob = people["alice"], people["bob"]
    previous = alice.desk.set_status(docs[0], DocStatus.DONE)
    assert previous is DocStatus.NEW
    assert alice.desk.status(docs[0]) is DocStatus.DONE
    assert bob.desk.status(docs[0]) is DocStatus.NEW
    assert bob.desk.status(docs[0], "alice") is DocStatus.DONE
    assert alice.documents.info(docs[0]).status is DocStatus.DONE
    assert bob.documents.info(docs[0]).status is DocStatus.NEW
    assert alice.documents.ids(status=DocStatus.DONE) == [docs[0]]
    assert bob.documents.ids(status=DocStatus.DONE) == []


def test_a_stale_expected_status_is_refused(people, docs):
    alice = people["alice"]
    alice.desk.set_status(docs[0], DocStatus.IN_PROGRESS)
    with pytest.raises(Exception, match="changed in another window") as caught:
        alice.desk.set_status(docs[0], DocStatus.DONE, expected=DocStatus.NEW)
    assert caught.value.problem is Problem.CONFLICT
    assert alice.desk.status(docs[0]) is DocStatus.IN_PROGRESS


def overall(app, doc: int) -> DocStatus:
    from sqlalchemy import select

    from annotator.store.models import DocumentRow

    with app.db.sessions() as session:
        return DocStatus(session.scalar(select(DocumentRow.status).where(DocumentRow.id == doc)))


def test_the_overall_status_is_done_only_when_everyone_assigned_is(people, docs):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    doc = docs[0]
    carol.desk.assign(["alice", "bob"], 2, [doc])
    assert overall(carol, doc) is DocStatus.NEW
    alice.desk.set_status(doc, DocStatus.DONE)
    assert overall(carol, doc) is DocStatus.IN_PROGRESS
    # carol is not assigned: her status does not decide the document's.
    carol.desk.set_status(doc, DocStatus.IN_PROGRESS)
    assert overall(carol, doc) is DocStatus.IN_PROGRESS
    bob.desk.set_status(doc, DocStatus.DONE)
    assert overall(carol, doc) is DocStatus.DONE
    info = carol.documents.info(doc)
    assert (info.done, info.people) == (2, 2)
    # A third person assigned later reopens the document.
    carol.desk.set_assigned(doc, "carol", True)
    assert overall(carol, doc) is DocStatus.IN_PROGRESS
    info = carol.documents.info(doc)
    assert (info.done, info.people, info.assigned) == (2, 3, True)
    carol.desk.set_status(doc, DocStatus.DONE)
    assert overall(carol, doc) is DocStatus.DONE
    assert not carol.documents.info(doc).assigned  # done by her: out of her queue


def test_with_nobody_assigned_everyone_who_started_decides(people, docs):
    alice, bob = people["alice"], people["bob"]
    doc = docs[1]
    alice.desk.set_status(doc, DocStatus.DONE)
    assert overall(alice, doc) is DocStatus.DONE
    bob.desk.set_status(doc, DocStatus.IN_PROGRESS)
    assert overall(alice, doc) is DocStatus.IN_PROGRESS
    assert (alice.documents.info(doc).done, alice.documents.info(doc).people) == (1, 2)


def test_the_queue_comes_first_and_can_be_listed_alone(people, docs):
    carol, bob = people["carol"], people["bob"]
    carol.desk.set_assigned(docs[2], "bob", True)
    carol.desk.set_assigned(docs[3], "bob", True)
    assert bob.documents.ids() == [docs[2], docs[3], docs[0], docs[1]]
    assert bob.documents.ids_page(queue_only=True) == [docs[2], docs[3]]
    # Paging goes on from a queue id into the rest.
    assert bob.documents.ids_page(after=docs[3], limit=1) == [docs[0]]
    bob.desk.set_status(docs[2], DocStatus.DONE)
    assert bob.documents.ids_page(queue_only=True) == [docs[3]]
    assert carol.documents.ids() == docs  # nothing assigned to carol


# -- roles -------------------------------------------------------------------------------------


def test_before_a_curator_anyone_may_after_only_a_curator(people, docs):
    alice, carol = people["alice"], people["carol"]
    alice.desk.set_mode(LayerMode.BLIND)  # nobody is a curator yet: allowed
    assert carol.desk.mode() is LayerMode.BLIND
    alice.desk.set_role("carol", Role.CURATOR)
    assert carol.desk.role() is Role.CURATOR and alice.desk.role() is Role.ANNOTATOR

    refused = [
        lambda: alice.desk.set_mode(LayerMode.SHARED),
        lambda: alice.desk.set_role("alice", Role.CURATOR),
        lambda: alice.desk.assign(["alice"], 1),
        lambda: alice.desk.set_assigned(docs[0], "alice", True),
    ]
    for attempt in refused:
        with pytest.raises(NotAllowed, match="only a curator may .*alice is an annotator") as e:
            attempt()
        assert e.value.problem is Problem.NOT_ALLOWED
    assert carol.desk.mode() is LayerMode.BLIND and alice.desk.assignments() == {}
    # Her own status is still hers to set.
    alice.desk.set_status(docs[0], DocStatus.DONE)

    carol.desk.set_mode(LayerMode.SHARED)
    carol.desk.set_role("alice", Role.CURATOR)
    alice.desk.set_mode(LayerMode.BLIND)  # now she may
    # Every setting is in the log (what other windows' live refresh follows); refusals are not.
    settings = [(c.actor, c.after) for c in carol.changes.entries(users=["alice", "carol"])
                if c.action == "setting"]  # fmt: skip
    assert settings == [
        ("alice", {"mode": "blind"}),
        ("alice", {"person": "carol", "role": "curator"}),
        ("carol", {"mode": "shared"}),
        ("carol", {"person": "alice", "role": "curator"}),
        ("alice", {"mode": "blind"}),
    ]


def test_a_curator_sees_every_layer_in_blind_mode(people, docs):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    doc = docs[0]
    bob.annotations.create(document_id=doc, start=9, end=18, label="athlete")
    carol.desk.set_role("carol", Role.CURATOR)
    carol.desk.set_mode(LayerMode.BLIND)
    assert alice.annotations.visible(doc) == []
    assert [s.layer for s in carol.annotations.visible(doc)] == ["bob"]
    assert [s.layer for s in bob.annotations.visible(doc)] == ["bob"]


# -- the 0004 migration ------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_0004_copies_statuses_to_the_people_who_worked_on_them(tmp_path):
    path = tmp_path / "old.sqlite3"
    command.upgrade(alembic_config(resolve_url(path)), "0003")
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("INSERT INTO labels (key, name, color) VALUES ('athlete', 'Athlete', '#1')")
        for doc, status in ((1, "done"), (2, "in_progress"), (3, "new"), (4, "done")):
            raw.execute(
                "INSERT INTO documents (id, title, sha256, status) VALUES (?, ?, ?, ?)",
                (doc, f"Doc {doc}", f"sha{doc}", status),
            )
            raw.execute("INSERT INTO document_texts VALUES (?, 'Josh Kerr won.')", (doc,))
        # Spans in bob's layer on 1 and 3; a suggestion (the pool) and a set-apart copy on 2.
        span = (
            'INSERT INTO annotations (document_id, start, "end", label, text, layer, '
            "status) VALUES (?, 0, 9, 'athlete', 'Josh Kerr', ?, ?)"
        )
        raw.execute(span, (1, "bob", "accepted"))
        raw.execute(span, (3, "bob", "accepted"))
        raw.execute(span, (2, "", "accepted"))
        raw.execute(span, (2, "dave#7", "accepted"))
        raw.execute(span, (4, "erin", "pending"))
        # Who set the status last: alice on 1 (after bob), carol on 2; on 4 only an older one.
        change = (
            "INSERT INTO changes (at, actor, action, document_id) "
            "VALUES ('2025-01-01 10:00:00', ?, 'status', ?)"
        )
        raw.execute(change, ("bob", 1))
        raw.execute(change, ("alice", 1))
        raw.execute(change, ("carol", 2))
        raw.execute(change, ("frank", 4))
    opened = open_database(path)
    try:
        with opened.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT document_id, annotator, status, assigned, done_at IS NOT NULL "
                "FROM document_progress ORDER BY document_id, annotator"
            ).all()
    finally:
        opened.close()
    assert rows == [
        (1, "alice", "done", 0, 1),
        (1, "bob", "done", 0, 1),
        (2, "carol", "in_progress", 0, 0),
        # 3 is new: nothing to copy, bob's spans notwithstanding.
        (4, "frank", "done", 0, 1),  # erin's span is only pending
    ]
