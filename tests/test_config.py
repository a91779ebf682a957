"""`seqtut.config.records_config`: `self.config` holds the arguments `__init__` was called with, defaults filled in."""

import pytest

from seqtut.config import records_config


class Model:
    @records_config
    def __init__(self, size: int, layers: int = 1, *, dropout: float = 0.0) -> None:
        """A stand-in for a model whose checkpoint must rebuild it."""
        self.size = size


def test_records_config_binds_positional_keyword_and_default_arguments_by_name():
    assert Model(4).config == {"size": 4, "layers": 1, "dropout": 0.0}
    assert Model(4, 3, dropout=0.5).config == {"size": 4, "layers": 3, "dropout": 0.5}
    assert Model(layers=2, size=8).config == {"size": 8, "layers": 2, "dropout": 0.0}


def test_records_config_runs_init_and_keeps_its_name_and_docstring():
    assert Model(5).size == 5
    assert Model.__init__.__name__ == "__init__"
    assert Model.__init__.__doc__ == "A stand-in for a model whose checkpoint must rebuild it."


def test_records_config_rejects_arguments_init_does_not_take_before_running_it():
    with pytest.raises(TypeError, match="unexpected keyword argument 'hidden'"):
        Model(4, hidden=2)
    with pytest.raises(TypeError, match="missing a required argument: 'size'"):
        Model()


def test_records_config_keeps_extra_keyword_arguments_under_their_parameter_name():
    class Open:
        @records_config
        def __init__(self, *sizes: int, **options: object) -> None:
            pass

    assert Open(1, 2, bias=False).config == {"sizes": (1, 2), "options": {"bias": False}}
