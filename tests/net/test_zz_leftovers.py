"""Runs last (file order): everything the suite started is gone."""

import netlab


def test_zz_nothing_left_behind():
    """No namespace, veth or process of this run is left once every lab is cleaned up (the
    module-scoped labs of earlier files were torn down when their module finished)."""
    assert not netlab.LABS or all(lab._cleaned for lab in netlab.LABS), netlab.LABS
    netlab.cleanup_all()
    assert netlab.leftovers() == []
