"""The Dask engine on a distributed cluster of two worker processes gives the in-memory results."""

import dask.dataframe as dd
import pytest

import evalkit as ek
from evalkit.datasets import load_minutes_work

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index:pandas.errors.Pandas4Warning"
)


def test_local_cluster_of_two_processes(write_parts, same):
    frame = load_minutes_work()
    folder, whole, _ = write_parts(frame, n=4)
    kwargs = {
        "before": "hours_before",
        "after": "hours_after",
        "unit": ["bureau", "department"],
        "period": "month",
        "cluster": "bureau",
        "random_state": 11,
    }
    expected = ek.reduction(whole, **kwargs)
    use = ek.usage(whole, unit="department", period="month", counts="meetings")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        ddf = dd.read_parquet(str(folder / "*.parquet"))
        same(expected, ek.reduction(ddf, **kwargs))
        same(use, ek.usage(ddf, unit="department", period="month", counts="meetings"))
    assert cluster.status.name == "closed"
