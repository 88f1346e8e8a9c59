from gan_course.cli import main

main()
