"""`dltui run SCENARIO --notebook FILE.ipynb` and the export's notebook.ipynb: the engine's
notebook plan (engine/explain/notebook.py), said in a language (words), written with nbformat
and validated. A scenario that reads a CSV gets the CSV copied beside the notebook, so the
folder runs as is (in Jupyter, or uploaded together to Colab)."""

from __future__ import annotations

from pathlib import Path

from dltui.engine.export import AtomicFile
from dltui.engine.explain.notebook import notebook_plan
from dltui.words.code import code_text
from dltui.words.notebook import prose


def notebook_document(scenario, steps: int, lang: str):
    """(the validated nbformat v4 notebook, {file name: CSV path} it reads beside itself)."""
    import nbformat
    from nbformat import v4

    plan = notebook_plan(scenario, steps)
    cells = []
    for cell in plan.cells:
        if cell.kind == "markdown":
            cells.append(v4.new_markdown_cell(prose(cell, lang)))
        else:
            cells.append(v4.new_code_cell(code_text(cell.lines, lang).rstrip("\n")))
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook, {name: source for source, name in plan.csv_files.items()}


def notebook_files(scenario, steps: int, lang: str) -> dict[str, bytes]:
    """The notebook's text as notebook.ipynb and each CSV it reads, by file name (a download)."""
    import nbformat

    notebook, csvs = notebook_document(scenario, steps, lang)
    files = {"notebook.ipynb": nbformat.writes(notebook).encode("utf-8")}
    files.update({name: Path(source).read_bytes() for name, source in csvs.items()})
    return files


def write_notebook(scenario, steps: int, path: Path, lang: str) -> list[Path]:
    """The notebook at `path` and its CSVs beside it, each written under a temporary name and
    renamed into place. A different file of the CSV's name already there is not overwritten:
    OSError says so."""
    import nbformat

    notebook, csvs = notebook_document(scenario, steps, lang)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in csvs.items():
        target = folder / name
        data = Path(source).read_bytes()
        if target.exists() and target.resolve() != Path(source).resolve() and target.read_bytes() != data:
            raise FileExistsError(0, f"{target} exists and is not the scenario's CSV; "
                                     f"write the notebook into another folder")
        if not target.exists():
            _atomic_write(target, data.decode("utf-8"))   # a CSV the code reads is UTF-8: bytes kept
        written.append(target)
    _atomic_write(path, nbformat.writes(notebook))
    return [path] + written


def _atomic_write(path: Path, text: str) -> None:
    file = AtomicFile(path)
    try:
        file.file.write(text)
        file.commit()
    except BaseException:
        file.discard()
        raise
