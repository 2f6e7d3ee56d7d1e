"""Qt-free engine: types, line art, regions, hints, flats, shading, lighting and the pipeline."""
