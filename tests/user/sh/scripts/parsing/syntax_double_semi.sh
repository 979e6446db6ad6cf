echo a ;;
