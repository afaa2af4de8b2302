from project.schema.authoring.forgotten import ModelDefinition, model_definitions


def test_models_are_found_by_their_table_name_without_importing_them(tmp_path):
    notes = tmp_path / "project" / "blueprints" / "notes"
    notes.mkdir(parents=True)
    (notes / "models.py").write_text(
        "raise RuntimeError('never imported')\n"
        "class Note(db.Model):\n    __tablename__ = 'notes'\n"
    )
    definition = model_definitions(tmp_path / "project" / "blueprints")["notes"]
    assert definition == ModelDefinition("Note", "project.blueprints.notes.models")
    assert definition.import_line == "from project.blueprints.notes.models import Note"


def test_the_projects_own_models_are_found():
    assert model_definitions()["users"] == ModelDefinition("User", "project.blueprints.auth.models")
