"""The ingest benchmark's prebuilt request bodies: the template's events with each request's own ids and times."""

import json

from riskscore.management.commands.bench_ingest import build_templates, event_time, request_body


def test_a_request_body_is_its_template_with_unique_ids_and_growing_times():
    prompts = ['a "quoted" prompt\nwith a newline', "another prompt \u00e9", "x" * 50]
    [template] = build_templates(
        count=1, events=30, accounts=[f"acct_{i}" for i in range(12)], per_request=10, prompts=prompts, seed=3
    )
    first = json.loads(request_body(template, run="r1", request=4))["events"]
    second = json.loads(request_body(template, run="r1", request=5))["events"]
    expected = [
        {
            **event,
            "event_id": f"bench-r1-4-{i}",
            "timestamp": event_time(4, i, events=30).isoformat().replace("+00:00", "Z"),
        }
        for i, event in enumerate(template.events)
    ]
    assert first == expected
    assert {e["event_id"] for e in first}.isdisjoint(e["event_id"] for e in second)
    assert min(e["timestamp"] for e in second) > max(e["timestamp"] for e in first)
